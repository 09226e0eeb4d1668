namespace Plexus.Cluster.Tests;

/// <summary>What a node of a test cluster holds of jobs' packages, seen from its files and processes.</summary>
internal static class JobPackages
{
    /// <summary>The folder under a node's directory where it keeps the packages it fetched, one folder each (named by package id).</summary>
    public static string CacheOf(TestNode node) => Path.Combine(node.TempDirectory, "packages", "packages");

    /// <summary>The ids of the packages the node fetched.</summary>
    public static IReadOnlyList<string> Of(TestNode node) =>
        Directory.Exists(CacheOf(node)) ? Directory.GetDirectories(CacheOf(node)).Select(Path.GetFileName).OfType<string>().ToList() : [];

    /// <summary>The worker processes node <paramref name="node"/> logged it started from <paramref name="package"/> (they stop when the job ends).</summary>
    public static IReadOnlyList<string> WorkersStartedFrom(TestNode node, string package) =>
        [.. node.Process.ReadLog().Split('\n').Where(line => line.Contains($"started from job package {package}", StringComparison.Ordinal))];
}
