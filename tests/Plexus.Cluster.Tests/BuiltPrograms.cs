using System.Reflection;

namespace Plexus.Cluster.Tests;

/// <summary>
/// The programs the cluster tests run as drivers, in the folders their builds put them in (the
/// test project's references build them; their paths are stamped into this assembly). They are
/// not copied beside the tests: a driver uploads its folder as its job's package.
/// </summary>
internal static class BuiltPrograms
{
    /// <summary>tests/Plexus.ClusterDriver's folder.</summary>
    public static string ClusterDriverDirectory => Folder("ClusterDriverDirectory");

    /// <summary>The folder of version 2 of the driver's versioned library (tests/Plexus.ClusterDriver.Version2).</summary>
    public static string JobVersion2Directory => Folder("JobVersion2Directory");

    /// <summary>samples/WordCount's folder.</summary>
    public static string WordCountDirectory => Folder("WordCountDirectory");

    /// <summary>tests/Plexus.TestDriver's build folder: a driver to submit with <c>plexus submit --working-dir</c>.</summary>
    public static string TestDriverDirectory => Path.GetDirectoryName(Folder("TestDriver"))!;

    /// <summary><c>dotnet ASSEMBLY ARGS</c> on the runtime running the tests.</summary>
    public static CommandLine Run(string assembly, params IEnumerable<string> arguments) =>
        File.Exists(assembly)
            ? CommandLine.Dotnet(assembly, [.. arguments])
            : throw new FileNotFoundException($"{assembly} is not built: build the solution (dotnet build Plexus.slnx -c Release).", assembly);

    private static string Folder(string key) => Path.GetFullPath(
        typeof(BuiltPrograms).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);
}
