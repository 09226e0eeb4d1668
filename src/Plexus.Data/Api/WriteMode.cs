namespace Plexus.Data;

/// <summary>What writing a dataset into a directory does when the directory already holds data.</summary>
public enum WriteMode
{
    /// <summary>
    /// The default: fail with <see cref="IOException"/> before anything runs when the directory
    /// holds any data file or a <c>_SUCCESS</c> manifest. A directory that does not exist or holds
    /// only hidden entries (names starting with '_' or '.') is written.
    /// </summary>
    ErrorIfExists = 0,

    /// <summary>
    /// Replace what is there: the directory's data files (not its subdirectories) and its manifest
    /// are deleted at commit, once the new files are all written, then the new files are moved in.
    /// </summary>
    Overwrite = 1,

    /// <summary>
    /// Add to what is there: the new files are named with the run's id so they never replace old
    /// ones, and the new manifest lists the old files and the new.
    /// </summary>
    Append = 2,
}
