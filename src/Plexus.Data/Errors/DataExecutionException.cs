namespace Plexus.Data;

/// <summary>
/// A dataset's run failed: a task of <see cref="Stage"/> failed on block <see cref="Block"/>. The
/// exception the user's code threw is <see cref="Cause"/> (the innermost one); the task's failure
/// as the cluster reported it is <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class DataExecutionException : Exception
{
    /// <summary>Makes the exception.</summary>
    public DataExecutionException(string stage, int block, string source, Exception innerException)
        : base(Describe(stage, block, source, innerException), innerException)
    {
        Stage = stage;
        Block = block;
        Source = source;
    }

    /// <summary>The failing stage's name.</summary>
    public string Stage { get; }

    /// <summary>The index of the block whose task failed.</summary>
    public int Block { get; }

    /// <summary>The block's input, as "block 3" or "/data/a.log bytes 0–1048576".</summary>
    public new string Source { get; }

    /// <summary>The innermost exception: the one the user's function threw, when its type could be loaded here.</summary>
    public Exception Cause
    {
        get
        {
            var cause = InnerException!;
            while (cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            return cause;
        }
    }

    private static string Describe(string stage, int block, string source, Exception inner)
    {
        var cause = inner;
        while (cause.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        return $"Stage '{stage}' failed on block {block} ({source}): {cause.GetType().Name}: {cause.Message}";
    }
}
