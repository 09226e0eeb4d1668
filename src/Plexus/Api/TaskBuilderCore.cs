using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus;

/// <summary>What every task builder holds: the runtime, the function and the options.</summary>
internal sealed class TaskBuilderCore(CoreRuntime runtime, FunctionDescriptor function, TaskOptions options)
{
    public CoreRuntime Runtime { get; } = runtime;

    public TaskBuilderCore With(TaskOptions newOptions)
    {
        ArgumentNullException.ThrowIfNull(newOptions);
        ArgumentOutOfRangeException.ThrowIfNegative(newOptions.MaxRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(newOptions.Cpus);
        return new TaskBuilderCore(Runtime, function, newOptions);
    }

    public ObjectRef<TResult> SubmitOne<TResult>(TaskArgument[] args)
    {
        var ids = Runtime.Submit(function, args, TaskReturns.One, options);
        return ObjectRef<TResult>.Owned(ids[0], Runtime);
    }

    public ObjectRef<TElement>[] SubmitMany<TElement>(TaskArgument[] args, int returnCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(returnCount, 1);
        var ids = Runtime.Submit(function, args, TaskReturns.Split(returnCount), options);
        var refs = new ObjectRef<TElement>[ids.Length];
        for (var i = 0; i < refs.Length; i++)
        {
            refs[i] = ObjectRef<TElement>.Owned(ids[i], Runtime);
        }

        return refs;
    }
}
