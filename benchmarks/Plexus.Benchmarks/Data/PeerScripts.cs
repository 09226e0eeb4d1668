namespace Plexus.Benchmarks.Data;

/// <summary>
/// Where the scripts of the peer systems are: <c>../shared/peers</c> next to the repository root
/// (the folder holding Plexus.slnx), as CI lays them out, and the Python that runs them.
/// </summary>
internal static class PeerScripts
{
    /// <summary>Debian's interpreter, for which the Dask packages are installed.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The Dask peer's folder, or <see langword="null"/> when there is no repository root above this program.</summary>
    public static string? DaskFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plexus.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "peers", "dask"));
            }
        }

        return null;
    }
}
