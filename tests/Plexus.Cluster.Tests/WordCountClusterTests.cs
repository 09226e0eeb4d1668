using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>samples/WordCount, unchanged, on a cluster of three nodes.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class WordCountClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task WordCountOnThreeNodesCountsAsTheEmbeddedRunAndMapsOnEveryNode()
    {
        using var files = new TempDirectory();
        var corpus = files.File("corpus.txt");
        CorpusFile.Write(corpus, 40L << 20);
        var wordCount = Path.Combine(BuiltPrograms.WordCountDirectory, "WordCount.dll");
        await using var cluster = await TestCluster.StartAsync(Enumerable.Repeat(new NodeOptions { Cpus = 2 }, 3).ToList(), output: output);

        var onCluster = BuiltPrograms.Run(wordCount, corpus, "--output", files.File("cluster.tsv"));
        var clusterRun = await cluster.RunDriverAsync(0, onCluster.FileName, onCluster.Arguments, timeout: RunTimeout);
        var embeddedRun = await HostCommand.RunAsync(BuiltPrograms.Run(wordCount, corpus, "--output", files.File("embedded.tsv")), RunTimeout);

        Assert.True(clusterRun.ExitCode == 0, $"On the cluster: {clusterRun}");
        Assert.True(embeddedRun.ExitCode == 0, $"Embedded: {embeddedRun}");
        Assert.Equal(await File.ReadAllTextAsync(files.File("embedded.tsv")), await File.ReadAllTextAsync(files.File("cluster.tsv")));
        // Every node fetched the job's package and started workers from it: its map tasks came there.
        var packages = cluster.Nodes.Select(JobPackages.Of).ToList();
        Assert.All(packages, p => Assert.Single(p));
        Assert.Single(packages.SelectMany(p => p).Distinct());
        Assert.All(cluster.Nodes, node => Assert.NotEmpty(JobPackages.WorkersStartedFrom(node, packages[0][0])));
    }
}
