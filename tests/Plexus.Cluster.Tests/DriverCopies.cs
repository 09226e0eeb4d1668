namespace Plexus.Cluster.Tests;

/// <summary>
/// Copies of tests/Plexus.ClusterDriver's build: a driver's folder is its job's package, so each
/// copy with a different file is a package of its own. The second version swaps in version 2 of
/// the driver's library (tests/Plexus.ClusterDriver.Version2).
/// </summary>
internal static class DriverCopies
{
    public const string VersionedLibrary = "Plexus.ClusterDriver.Version.dll";

    /// <summary>Copies the driver into <paramref name="programs"/>/v1 and, with version 2 of its library, /v2.</summary>
    public static (string Version1, string Version2) TwoVersions(TempDirectory programs)
    {
        var version1 = Copy(programs.File("v1"));
        var version2 = Copy(programs.File("v2"));
        File.Copy(Path.Combine(BuiltPrograms.JobVersion2Directory, VersionedLibrary), Path.Combine(version2, VersionedLibrary), overwrite: true);
        return (version1, version2);
    }

    private static string Copy(string destination)
    {
        foreach (var file in Directory.EnumerateFiles(BuiltPrograms.ClusterDriverDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(BuiltPrograms.ClusterDriverDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return destination;
    }
}
