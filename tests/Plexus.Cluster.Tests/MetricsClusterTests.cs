using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>`plexus start --metrics-port`: each node of a real cluster serves its metrics in Prometheus format, and they follow what the job did.</summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class MetricsClusterTests(ITestOutputHelper output)
{
    private static readonly string[] TaskStates = ["queued", "waiting_for_resources", "waiting_for_arguments", "infeasible", "running"];

    [Fact]
    public async Task EachNodeServesMetricsThatFollowTheTasksCallsAndTransfersOfAJob()
    {
        var node = new NodeOptions { Cpus = 1, ObjectStoreMemory = 256L << 20, ServeMetrics = true };
        await using var cluster = await TestCluster.StartAsync([node, node], output: output);
        var (head, node2) = (cluster.Head, cluster.Nodes[1]);
        using var driver = ClusterDriverRun.Start(cluster, 0, "metrics", [head.State.NodeId, node2.State.NodeId]);
        using var http = new HttpClient();

        await driver.ReachedAsync("holding");
        var (atHead, atNode2) = (await ScrapeAsync(http, head), await ScrapeAsync(http, node2));
        driver.Go("holding");
        var result = await driver.ResultAsync();
        var (tasksPerNode, calls, arrayBytes) = (result.GetProperty("tasksPerNode").GetInt32(), result.GetProperty("calls").GetInt32(), result.GetProperty("arrayBytes").GetInt32());

        foreach (var (scrape, testNode) in new[] { (atHead, head), (atNode2, node2) })
        {
            Assert.All(scrape.Samples.Where(s => s.Name.StartsWith("plexus_", StringComparison.Ordinal)), s => Assert.Equal(testNode.State.NodeId, s.Labels["node"]));
            Assert.All(TaskStates, state => Assert.InRange(scrape.Value("plexus_tasks", $"state={state}"), 0, double.MaxValue));
            Assert.True(scrape.Value("plexus_tasks_finished_total", "outcome=succeeded") >= tasksPerNode, $"{testNode}: tasks finished {scrape.Value("plexus_tasks_finished_total", "outcome=succeeded")}");
            Assert.True(scrape.Value("plexus_scheduling_latency_seconds_count") >= tasksPerNode, $"{testNode}: scheduling latencies {scrape.Value("plexus_scheduling_latency_seconds_count")}");
            Assert.Equal(256L << 20, scrape.Value("plexus_object_store_capacity_bytes"));
            Assert.True(scrape.Value("plexus_worker_processes") >= 1, $"{testNode}: no worker processes");
            Assert.Equal(0, scrape.Value("plexus_object_store_spilled_bytes_total"));
            Assert.Equal(0, scrape.Value("plexus_object_store_restored_bytes_total"));
        }

        // The array lives on node 2 and the head holds the copy the driver read.
        Assert.True(atNode2.Value("plexus_object_store_used_bytes") >= arrayBytes, $"node 2 stores {atNode2.Value("plexus_object_store_used_bytes")} bytes");
        Assert.True(atHead.Value("plexus_object_store_used_bytes") >= arrayBytes, $"the head stores {atHead.Value("plexus_object_store_used_bytes")} bytes");
        Assert.True(atHead.Value("plexus_transfer_received_bytes_total") >= arrayBytes, $"the head received {atHead.Value("plexus_transfer_received_bytes_total")} bytes");
        Assert.True(atNode2.Value("plexus_transfer_sent_bytes_total") >= arrayBytes, $"node 2 sent {atNode2.Value("plexus_transfer_sent_bytes_total")} bytes");
        Assert.True(atHead.Value("plexus_actor_calls_total") + atNode2.Value("plexus_actor_calls_total") >= calls, "actor calls were not counted");
        Assert.Equal(1, atHead.Value("plexus_actors", "state=alive") + atNode2.Value("plexus_actors", "state=alive"));
    }

    [Fact]
    public async Task AMetricsPortThatIsNotAPortExitsWithTwo()
    {
        var outcome = await HostCommand.RunAsync(PlexusCli.Real().Command("start", "--head", "--metrics-port", "http"), TimeSpan.FromMinutes(1));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("--metrics-port must be a port", outcome.StandardError, StringComparison.Ordinal);
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient http, TestNode node)
    {
        var url = node.MetricsUrl ?? throw new InvalidOperationException($"{node} serves no metrics.");
        return PrometheusText.Parse(await http.GetStringAsync(url));
    }
}
