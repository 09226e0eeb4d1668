using System.Security.Cryptography;
using Plexus.Control.Packages;

namespace Plexus.Control.Tests;

/// <summary>
/// The gRPC client and the in-process client must be interchangeable: the same calls give the
/// same answers and the same exception types, so the two cannot drift apart unnoticed.
/// </summary>
public sealed class ClientParityTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InProcessAndGrpcClientsGiveTheSameAnswers()
    {
        await using var remote = await ControlTestCluster.StartAsync(heartbeatTimeout: Timeout, heartbeatInterval: Interval);
        await using var local = await InProcessControlService.StartAsync(Interval, Timeout);

        var overGrpc = await RunScenarioAsync(remote.Client);
        var inProcess = await RunScenarioAsync(local.Client);

        Assert.Equal(overGrpc.Answers, inProcess.Answers);
        Assert.Equal(overGrpc.Errors.Count, inProcess.Errors.Count);
        foreach (var (grpcError, localError) in overGrpc.Errors.Zip(inProcess.Errors))
        {
            // The gRPC client adds where and what it called; the service's reason is the same.
            Assert.EndsWith(localError.Message, grpcError.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Register node, heartbeat, list, register job, finish, list, upload and fetch a package, with the refusals in between.</summary>
    private static async Task<Transcript> RunScenarioAsync(IControlClient client)
    {
        var transcript = new Transcript();
        byte[] node = Id(1);
        byte[] job = Id(2);
        byte[] otherJob = Id(3);

        transcript.Add(Describe(await client.RegisterNodeAsync(node, "tcp://10.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 4, ["GPU"] = 1 }, pid: 11)));
        transcript.Add(Describe(await client.RegisterNodeAsync(node, "tcp://10.0.0.2:7001", new Dictionary<string, double>(), pid: 12)));
        await transcript.AddErrorAsync(() => client.RegisterNodeAsync([], "tcp://10.0.0.3:7001", new Dictionary<string, double>(), pid: 13));
        await transcript.AddErrorAsync(() => client.RegisterNodeAsync(Id(4), "tcp://10.0.0.4:7001", new Dictionary<string, double> { ["CPU"] = -1 }, pid: 14));
        transcript.Add($"heartbeat {await client.HeartbeatAsync(node, new Dictionary<string, double> { ["CPU"] = 1.5 })}");
        transcript.Add($"heartbeat unknown {await client.HeartbeatAsync(Id(5))}");
        transcript.Add(Describe(await client.ListNodesAsync()));

        await client.RegisterJobAsync(job, driverPid: 100, "analytics", "WordCount.dll");
        await client.RegisterJobAsync(job, driverPid: 100, "analytics", "WordCount.dll");
        await transcript.AddErrorAsync(() => client.RegisterJobAsync(job, driverPid: 200, "default", "Other.dll"));
        await client.RegisterJobAsync(otherJob, driverPid: 300, "default", "Sort.dll");
        await client.FinishJobAsync(job);
        await client.FinishJobAsync(job);
        await transcript.AddErrorAsync(() => client.FinishJobAsync(Id(6)));
        transcript.Add(Describe(await client.ListJobsAsync()));

        await RunActorScenarioAsync(client, transcript, node, otherJob);

        transcript.Add($"unregister {await client.UnregisterNodeAsync(node)}");
        transcript.Add($"unregister again {await client.UnregisterNodeAsync(node)}");
        transcript.Add($"heartbeat after unregister {await client.HeartbeatAsync(node)}");
        transcript.Add(Describe(await client.ListNodesAsync()));

        await RunPackageScenarioAsync(client, transcript);
        return transcript;
    }

    private static async Task RunPackageScenarioAsync(IControlClient client, Transcript transcript)
    {
        byte[] library = [1, 2, 3, 4, 5];
        byte[] app = "app"u8.ToArray();
        string libraryHash = Sha256(library);
        string appHash = Sha256(app);
        string unknown = new('e', 64);
        var manifest = PackageManifest.Create([new PackageFile("lib/Library.dll", library.Length, libraryHash), new PackageFile("App.dll", app.Length, appHash)]);

        transcript.Add($"missing {string.Join(",", await client.MissingBlobsAsync([libraryHash, appHash]))}");
        await client.UploadBlobAsync(libraryHash, new MemoryStream(library));
        transcript.Add($"missing {string.Join(",", await client.MissingBlobsAsync([libraryHash, appHash]))}");
        await transcript.AddErrorAsync(() => client.RegisterPackageAsync(manifest));
        await transcript.AddErrorAsync(() => client.UploadBlobAsync(appHash, new MemoryStream(library)));
        await client.UploadBlobAsync(appHash, new MemoryStream(app));
        transcript.Add($"package {await client.RegisterPackageAsync(manifest)}");
        var stored = await client.GetPackageManifestAsync(manifest.Id);
        transcript.Add($"manifest {stored.Id} " + string.Join("; ", stored.Files.Select(f => $"{f.Path} {f.Size} {f.Sha256}")));
        using var downloaded = new MemoryStream();
        await client.DownloadBlobAsync(libraryHash, downloaded);
        transcript.Add($"downloaded {Convert.ToHexStringLower(downloaded.ToArray())}");

        await transcript.AddErrorAsync(() => client.MissingBlobsAsync([libraryHash, "not-a-hash"]));
        await transcript.AddErrorAsync(() => client.GetPackageManifestAsync(unknown));
        await transcript.AddErrorAsync(() => client.DownloadBlobAsync(unknown, Stream.Null));
        await transcript.AddErrorAsync(() => client.DownloadBlobAsync("../blobs", Stream.Null));
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] Id(byte seed) => Enumerable.Repeat(seed, 16).ToArray();

    private static string Describe(NodeRegistration r) =>
        $"registration accepted={r.Accepted} interval={r.HeartbeatInterval} reason={r.RejectReason}";

    // Times differ between two runs; everything else must not.
    private static string Describe(IReadOnlyList<NodeInfo> nodes) => "nodes " + string.Join("; ", nodes.Select(n =>
        $"{Convert.ToHexStringLower(n.NodeId)} {n.Address} pid={n.Pid} resources=[{Describe(n.Resources)}] " +
        $"usage=[{Describe(n.ResourceUsage)}] {n.State} reason={n.DeathReason}"));

    private static string Describe(IReadOnlyList<JobInfo> jobs) => "jobs " + string.Join("; ", jobs.Select(j =>
        $"{Convert.ToHexStringLower(j.JobId)} pid={j.DriverPid} {j.Namespace} {j.Entry} {j.State} ended={j.EndTime.HasValue}"));

    /// <summary>Register named actors (one name twice), look one up, end it, with the refusals in between.</summary>
    private static async Task RunActorScenarioAsync(IControlClient client, Transcript transcript, byte[] node, byte[] job)
    {
        ActorInfo Actor(byte path, string @namespace) => new()
        {
            ActorId = [.. job, .. Id(path)[..8]], JobId = job, Namespace = @namespace, Name = "counter", ClassName = "Shop.Counter",
            Detached = false, NodeId = node, OwnerNodeId = node, OwnerProcess = 3,
        };

        transcript.Add($"actor registered {(await client.RegisterActorAsync(Actor(7, "shop"))).Registered}");
        var taken = await client.RegisterActorAsync(Actor(8, "shop"));
        transcript.Add($"name taken: registered {taken.Registered}, held by {taken.Holder}");
        await transcript.AddErrorAsync(() => client.RegisterActorAsync(Actor(9, "")));
        transcript.Add($"found {await client.LookupActorAsync("shop", "counter")}");
        await transcript.AddErrorAsync(() => client.LookupActorAsync("shop", ""));
        await client.EndActorAsync(Actor(7, "shop").ActorId, "killed");
        transcript.Add($"found after its end: {await client.LookupActorAsync("shop", "counter") is not null}");
        await transcript.AddErrorAsync(() => client.RegisterActorAsync(Actor(7, "shop")));
    }

    private static string Describe(IReadOnlyDictionary<string, double> amounts) =>
        string.Join(",", amounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));

    private sealed class Transcript
    {
        public List<string> Answers { get; } = [];

        public List<Exception> Errors { get; } = [];

        public void Add(string answer) => Answers.Add(answer);

        public async Task AddErrorAsync(Func<Task> call)
        {
            try
            {
                await call();
                Answers.Add("no error");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                Answers.Add($"threw {e.GetType().Name}");
                Errors.Add(e);
            }
        }
    }
}
