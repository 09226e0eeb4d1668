namespace Plexus.Cluster.Tests;

/// <summary>What a node of a test cluster holds of jobs' packages, seen from its files and processes.</summary>
internal static class JobPackages
{
    /// <summary>The folder under a node's directory where it keeps the packages it fetched, one folder each (named by package id).</summary>
    public static string CacheOf(TestNode node) => Path.Combine(node.TempDirectory, "packages", "packages");

    /// <summary>The ids of the packages the node fetched.</summary>
    public static IReadOnlyList<string> Of(TestNode node) =>
        Directory.Exists(CacheOf(node)) ? Directory.GetDirectories(CacheOf(node)).Select(Path.GetFileName).OfType<string>().ToList() : [];

    /// <summary>The node's worker processes started from package <paramref name="package"/> (their command line names its folder).</summary>
    public static IReadOnlyList<int> WorkersOf(TestNode node, string package)
    {
        var folder = Path.Combine(CacheOf(node), package);
        return ProcessTree.Members(ProcessIdentity.OfChild(node.Process.Pid))
            .Where(pid => ProcFs.CommandLine(pid)?.Contains(folder, StringComparison.Ordinal) == true)
            .ToList();
    }
}
