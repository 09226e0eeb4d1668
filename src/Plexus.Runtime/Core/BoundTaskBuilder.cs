using Plexus.Binding;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>A task builder's function and options, submitted through one runtime.</summary>
internal sealed class BoundTaskBuilder(CoreRuntime runtime, FunctionDescriptor function, TaskOptions options) : TaskBuilderCore
{
    public override TaskBuilderCore With(TaskOptions newOptions)
    {
        ArgumentNullException.ThrowIfNull(newOptions);
        ArgumentOutOfRangeException.ThrowIfNegative(newOptions.MaxRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(newOptions.Cpus);
        ThrowIfNotExceptions(newOptions.RetryExceptionTypes);
        return new BoundTaskBuilder(runtime, function, newOptions);
    }

    private static void ThrowIfNotExceptions(IReadOnlyList<Type>? types)
    {
        foreach (var type in types ?? [])
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException(
                    $"TaskOptions.RetryExceptionTypes lists {type?.FullName ?? "null"}, which is not an exception type: list types that derive from System.Exception.",
                    nameof(TaskOptions.RetryExceptionTypes));
            }
        }
    }

    public override ObjectRef<TResult> SubmitOne<TResult>(CallArgument[] args)
    {
        var ids = runtime.Submit(function, CoreRuntime.Encode(args), TaskReturns.One, options);
        return ObjectRef<TResult>.Owned(ids[0], runtime);
    }

    public override ObjectRef<TElement>[] SubmitMany<TElement>(CallArgument[] args, int returnCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(returnCount, 1);
        var ids = runtime.Submit(function, CoreRuntime.Encode(args), TaskReturns.Split(returnCount), options);
        var refs = new ObjectRef<TElement>[ids.Length];
        for (var i = 0; i < refs.Length; i++)
        {
            refs[i] = ObjectRef<TElement>.Owned(ids[i], runtime);
        }

        return refs;
    }
}
