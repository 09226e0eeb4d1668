using Plexus.Binding;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// A task builder's function and options, submitted through one runtime; <paramref name="cancellation"/>
/// cancels each task it submits (besides any token passed as an argument).
/// </summary>
internal sealed class BoundTaskBuilder(CoreRuntime runtime, FunctionDescriptor function, TaskOptions options, CancellationToken cancellation = default) : TaskBuilderCore
{
    public override TaskBuilderCore With(TaskOptions newOptions)
    {
        ArgumentNullException.ThrowIfNull(newOptions);
        ArgumentOutOfRangeException.ThrowIfNegative(newOptions.MaxRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(newOptions.Cpus);
        ThrowIfNotExceptions(newOptions.RetryExceptionTypes);
        return new BoundTaskBuilder(runtime, function, newOptions, cancellation);
    }

    public override TaskBuilderCore WithCancellation(CancellationToken cancellationToken) => new BoundTaskBuilder(runtime, function, options, cancellationToken);

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
        var ids = Submit(args, TaskReturns.One);
        return ObjectRef<TResult>.Owned(ids[0], runtime);
    }

    public override ObjectRef<TElement>[] SubmitMany<TElement>(CallArgument[] args, int returnCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(returnCount, 1);
        var ids = Submit(args, TaskReturns.Split(returnCount));
        var refs = new ObjectRef<TElement>[ids.Length];
        for (var i = 0; i < refs.Length; i++)
        {
            refs[i] = ObjectRef<TElement>.Owned(ids[i], runtime);
        }

        return refs;
    }

    // The builder's token and each token passed for a CancellationToken parameter cancel the task.
    private ObjectId[] Submit(CallArgument[] args, TaskReturns returns)
    {
        // Most submissions have none: nothing is allocated for them.
        List<CancellationToken>? tokens = cancellation.CanBeCanceled ? [cancellation] : null;
        foreach (var arg in args)
        {
            if (arg.Value is CancellationToken { CanBeCanceled: true } token)
            {
                (tokens ??= []).Add(token);
            }
        }

        return runtime.Submit(function, CoreRuntime.Encode(args), returns, options, cancelledBy: tokens);
    }
}
