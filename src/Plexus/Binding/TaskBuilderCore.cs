namespace Plexus.Binding;

/// <summary>What every task builder holds: a described function and its options, bound to a runtime.</summary>
internal abstract class TaskBuilderCore
{
    /// <summary>The same function with other options (validated here).</summary>
    public abstract TaskBuilderCore With(TaskOptions options);

    /// <summary>The same function, whose tasks <paramref name="cancellationToken"/> cancels.</summary>
    public abstract TaskBuilderCore WithCancellation(CancellationToken cancellationToken);

    /// <summary>Submits the task; its one result is one object.</summary>
    public abstract ObjectRef<TResult> SubmitOne<TResult>(CallArgument[] args);

    /// <summary>Submits the task; each of its <paramref name="returnCount"/> array elements is one object.</summary>
    public abstract ObjectRef<TElement>[] SubmitMany<TElement>(CallArgument[] args, int returnCount);
}
