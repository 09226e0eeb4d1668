namespace Plexus.Node;

/// <summary>
/// Which process a spill directory belongs to, written into it as it is created, so that a
/// directory left behind by a process that could not remove it (killed, or ended by a signal) is
/// removed later by a worker of that node or by the next node started on the machine, and a
/// directory of a live node is never touched.
/// </summary>
internal static class SpillDirectoryOwner
{
    /// <summary>The prefix of every node's spill directory name (<c>plexus-spill-&lt;node id&gt;</c>).</summary>
    public const string DirectoryPrefix = "plexus-spill-";

    // Written after the directory is created: a directory without it is being created, or is not
    // ours, and is left alone.
    private const string MarkerFile = "owner";

    /// <summary>Records this process as the owner of <paramref name="directory"/>.</summary>
    public static void Claim(string directory) =>
        File.WriteAllText(Path.Combine(directory, MarkerFile), ProcessIdentity.Current().ToString());

    /// <summary>
    /// Removes every node spill directory under <paramref name="root"/> whose owner is gone. Safe
    /// to run from many processes at once: a directory that vanishes meanwhile is skipped.
    /// </summary>
    /// <returns>The directories removed.</returns>
    public static IReadOnlyList<string> RemoveAbandoned(string root)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(root, DirectoryPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return [.. candidates.Where(d => OwnerOf(d)?.IsGone() == true && TryRemove(d))];
    }

    /// <summary>
    /// Removes <paramref name="directory"/> once its owner is gone, waiting up to
    /// <paramref name="patience"/> for it to finish dying (a process's sockets close a moment
    /// before it is gone). Does nothing if the directory does not exist or its owner lives on.
    /// </summary>
    public static async Task RemoveWhenOwnerGoneAsync(string directory, TimeSpan patience)
    {
        if (OwnerOf(directory) is not { } owner)
        {
            return;
        }

        var deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        while (!owner.IsGone())
        {
            if (Environment.TickCount64 > deadline)
            {
                return;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        TryRemove(directory);
    }

    private static ProcessIdentity? OwnerOf(string directory)
    {
        try
        {
            return ProcessIdentity.Parse(File.ReadAllText(Path.Combine(directory, MarkerFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
