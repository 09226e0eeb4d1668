using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Cluster.Submissions;
using Plexus.Control;
using Plexus.Control.Service;
using Plexus.Control.Storage;
using Plexus.Hosting.Packages;
using SubmissionInfo = Plexus.Protocol.Control.SubmissionInfo;
using SubmissionState = Plexus.Protocol.Control.SubmissionState;
using SubmitJobRequest = Plexus.Protocol.Control.SubmitJobRequest;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A node runs a submitted driver from its package, against a control service in this process:
/// the command's output and exit reach the service, a stop ends it, a package that cannot be
/// fetched fails it. Starts real processes (sh), so [Slow].
/// </summary>
[Slow]
public sealed class SubmittedDriverTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Node = [0x0d, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];

    private readonly TempDirectory _directory = new();
    private ControlService _service = null!;
    private InProcessControlClient _client = null!;
    private PackageCache _packages = null!;

    public async Task InitializeAsync()
    {
        _service = new ControlService(ControlServiceSettings.Default, new InMemoryControlStore(), TimeProvider.System, NullLoggerFactory.Instance);
        await _service.StartAsync(CancellationToken.None);
        _client = new InProcessControlClient(_service);
        _packages = new PackageCache(Path.Combine(_directory.Path, "node"), _client);
        await _client.RegisterNodeAsync(Node, "tcp:10.0.0.9:7001", new Dictionary<string, double> { ["CPU"] = 1 }, pid: 1);
    }

    public async Task DisposeAsync()
    {
        _packages.Dispose();
        await _service.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task TheCommandRunsInItsPackageWithTheClusterInItsEnvironmentAndItsOutputAndExitReachTheService()
    {
        var driver = await AssignAsync("sh", "-c", "cat marker.txt; echo \"$PLEXUS_ADDRESS $PLEXUS_TOKEN $PLEXUS_SUBMISSION_ID $GREETING\"; exit 5");

        await driver.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var ended = Single();
        Assert.Equal(SubmissionState.Failed, ended.State);
        Assert.Equal(5, ended.ExitCode);
        Assert.Equal($"from the package\nhead:6380 secret {ended.SubmissionId} hello\n", await OutputAsync(ended.SubmissionId));
        Assert.Equal(await OutputAsync(ended.SubmissionId), File.ReadAllText(Path.Combine(_directory.Path, "logs", "jobs", ended.SubmissionId + ".log")));
    }

    [Fact]
    public async Task AStoppedDriverIsTerminatedAndEndsStopped()
    {
        var driver = await AssignAsync("sh", "-c", "echo ready; exec sleep 600");
        var running = driver.RunAsync(CancellationToken.None);
        string id = Single().SubmissionId;
        await Eventually.TrueAsync(async () => (await OutputAsync(id)).Length > 0, "the driver printed that it is ready");

        await _client.StopJobAsync(id);
        driver.Stop();
        await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(SubmissionState.Stopped, Single().State);
        Assert.Equal(128 + ProcessGroup.SigTerm, Single().ExitCode);
    }

    [Fact]
    public async Task ADriverWhosePackageCannotBeFetchedFailsSayingSo()
    {
        var driver = await AssignPackageAsync(new string('c', 64), "dotnet", "App.dll");

        await driver.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var ended = Single();
        Assert.Equal(SubmissionState.Failed, ended.State);
        Assert.False(ended.HasExitCode);
        Assert.Contains("could not be fetched", ended.Message, StringComparison.Ordinal);
    }

    private async Task<SubmittedDriver> AssignAsync(params string[] argv)
    {
        var app = Directory.CreateDirectory(Path.Combine(_directory.Path, "app"));
        File.WriteAllText(Path.Combine(app.FullName, "marker.txt"), "from the package\n");
        var manifest = await PackageUploader.UploadAsync(_client, app.FullName, hashes: null, CancellationToken.None);
        return await AssignPackageAsync(manifest.Id, argv);
    }

    private async Task<SubmittedDriver> AssignPackageAsync(string packageId, params string[] argv)
    {
        var request = new SubmitJobRequest { PackageId = packageId, Submitter = "tester@host" };
        request.Argv.AddRange(argv);
        request.Env["GREETING"] = "hello";
        await _client.SubmitJobAsync(request);
        var answer = await _client.HeartbeatAsync(Node, null, null, null, CancellationToken.None);
        var host = new DriverHostContext(Node, "head:6380", "secret", Path.Combine(_directory.Path, "logs", "jobs"));
        return new SubmittedDriver(Assert.Single(answer.DriversToStart), host, _client, _packages, NullLogger.Instance);
    }

    private SubmissionInfo Single() => Assert.Single(_service.Submissions.List().Submissions);

    private async Task<string> OutputAsync(string id)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in _client.ReadJobLogsAsync(id, 0, follow: false))
        {
            text.Append(chunk.Data.ToStringUtf8());
        }

        return text.ToString();
    }
}
