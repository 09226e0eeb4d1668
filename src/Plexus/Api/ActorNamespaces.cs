namespace Plexus;

/// <summary>
/// Which namespace a name lives in. A job has one: the one its driver chose
/// (<see cref="PlexusOptions.Namespace"/>), or else its own anonymous namespace, named after the
/// job's id under a prefix that user code may not name, so that no other job can look in it or
/// create in it (see docs/ARCHITECTURE.md, Isolation between jobs).
/// </summary>
internal static class ActorNamespaces
{
    /// <summary>What every anonymous namespace's name starts with; reserved, refused in namespaces user code names.</summary>
    public const string AnonymousPrefix = "anonymous:";

    /// <summary>The anonymous namespace of <paramref name="job"/>: <c>anonymous:</c> and the job's id.</summary>
    public static string AnonymousOf(JobId job) => AnonymousPrefix + job.ToString();

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for a namespace user code may not name: empty, blank,
    /// or one of the reserved anonymous ones. Null passes: it means the job's own.
    /// </summary>
    public static void ThrowIfNotNameable(string? @namespace, string parameterName)
    {
        if (@namespace is null)
        {
            return;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace, parameterName);
        if (@namespace.StartsWith(AnonymousPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The namespace '{@namespace}' is reserved: namespaces starting with '{AnonymousPrefix}' are jobs' own anonymous namespaces, which no code can name. " +
                "Pass no namespace to use this job's own, or name one that the jobs sharing actors agree on.",
                parameterName);
        }
    }
}
