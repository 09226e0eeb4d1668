using System.Text;
using Google.Protobuf;
using Plexus.Control.Submissions;
using Plexus.Protocol.Control;

namespace Plexus.Control.Tests.Submissions;

/// <summary>Jobs submitted to the cluster, through the control server: states, which node runs them, output by offset, stops.</summary>
public sealed class SubmissionTests : IAsyncLifetime
{
    // The test server listens on 127.0.0.1: a node registered there is the head's.
    private static readonly byte[] HeadNode = ControlTestCluster.NewId();
    private static readonly byte[] OtherNode = ControlTestCluster.NewId();
    private static readonly string PackageId = new('a', 64);

    private ControlTestCluster _cluster = null!;

    private ControlClient Client => _cluster.Client;

    public async Task InitializeAsync()
    {
        _cluster = await ControlTestCluster.StartAsync();
        await Client.RegisterNodeAsync(OtherNode, "tcp:10.0.0.6:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 2);
        await Client.RegisterNodeAsync(HeadNode, "tcp:127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 1);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ASubmittedJobIsPendingUntilTheHeadsNodeTakesItAtItsHeartbeat()
    {
        var submitted = await SubmitAsync("dotnet", "App.dll", "--size", "3");

        Assert.Equal(SubmissionState.Pending, submitted.State);
        Assert.Matches("^sub-[0-9a-f]{16}$", submitted.SubmissionId);
        Assert.Empty((await HeartbeatAsync(OtherNode)).DriversToStart);

        var assignment = Assert.Single((await HeartbeatAsync(HeadNode)).DriversToStart);
        Assert.Equal(submitted.SubmissionId, assignment.SubmissionId);
        Assert.Equal(PackageId, assignment.PackageId);
        Assert.Equal(["dotnet", "App.dll", "--size", "3"], assignment.Argv);
        Assert.Equal("1", assignment.Env["ROUNDS"]);
        var running = await FindAsync(submitted.SubmissionId);
        Assert.Equal(SubmissionState.Running, running.State);
        Assert.Equal(HeadNode, running.NodeId.ToByteArray());
        Assert.True(running.StartUnixMs >= running.SubmitUnixMs);
        Assert.Equal("tester@host", running.Submitter);
    }

    [Fact]
    public async Task WithoutTheHeadsNodeAnotherAliveNodeTakesTheJob()
    {
        await Client.UnregisterNodeAsync(HeadNode);
        var submitted = await SubmitAsync("dotnet", "App.dll");

        var assignment = Assert.Single((await HeartbeatAsync(OtherNode)).DriversToStart);

        Assert.Equal(submitted.SubmissionId, assignment.SubmissionId);
        Assert.Equal(OtherNode, (await FindAsync(submitted.SubmissionId)).NodeId.ToByteArray());
    }

    [Fact]
    public async Task ExitCodeZeroSucceedsAndAnotherFailsSayingTheCode()
    {
        var good = await StartOnHeadAsync();
        var bad = await StartOnHeadAsync();

        var succeeded = await ReportExitAsync(good, HeadNode, 0);
        var failed = await ReportExitAsync(bad, HeadNode, 3);

        Assert.Equal(SubmissionState.Succeeded, succeeded.State);
        Assert.True(succeeded.HasExitCode);
        Assert.True(succeeded.EndUnixMs >= succeeded.StartUnixMs);
        Assert.Equal(SubmissionState.Failed, failed.State);
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("code 3", failed.Message, StringComparison.Ordinal);
        Assert.Empty((await HeartbeatAsync(HeadNode)).DriversToStart);
    }

    [Fact]
    public async Task AnEndedJobStaysAsItEnded()
    {
        var id = await StartOnHeadAsync();
        await ReportExitAsync(id, HeadNode, 0);

        var again = await ReportExitAsync(id, HeadNode, 9);
        var stopped = await Client.StopJobAsync(id);

        Assert.Equal(SubmissionState.Succeeded, again.State);
        Assert.Equal(SubmissionState.Succeeded, stopped.State);
    }

    [Fact]
    public async Task StoppingAPendingJobStopsItAtOnce()
    {
        var submitted = await SubmitAsync("dotnet", "App.dll");

        var stopped = await Client.StopJobAsync(submitted.SubmissionId);

        Assert.Equal(SubmissionState.Stopped, stopped.State);
        Assert.Empty((await HeartbeatAsync(HeadNode)).DriversToStart);
    }

    [Fact]
    public async Task StoppingARunningJobTellsItsNodeAndItIsStoppedOnceItsDriverExits()
    {
        var id = await StartOnHeadAsync();

        var asked = await Client.StopJobAsync(id);
        var answer = await HeartbeatAsync(HeadNode);
        var ended = await ReportExitAsync(id, HeadNode, 143);

        Assert.Equal(SubmissionState.Running, asked.State);
        Assert.True(asked.StopRequested);
        Assert.Equal([id], answer.DriversToStop);
        Assert.Equal(SubmissionState.Stopped, ended.State);
    }

    [Fact]
    public async Task TheDriversOfANodeThatDiesFailSayingSo()
    {
        var id = await StartOnHeadAsync();

        await Client.UnregisterNodeAsync(HeadNode);

        await Eventually.TrueAsync(async () => (await FindAsync(id)).State == SubmissionState.Failed, "the job failed with its node");
        Assert.Contains(Convert.ToHexStringLower(HeadNode), (await FindAsync(id)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeThatDoesNotRunAJobCannotReportForIt()
    {
        var id = await StartOnHeadAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Client.AppendJobOutputAsync(id, OtherNode, 0, "x\n"u8.ToArray()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReportExitAsync(id, OtherNode, 0));
        Assert.Equal(SubmissionState.Running, (await FindAsync(id)).State);
    }

    [Fact]
    public async Task AnUnknownJobIsNotFound()
    {
        const string unknown = "sub-0000000000000000";

        var stop = await Assert.ThrowsAsync<SubmissionNotFoundException>(() => Client.StopJobAsync(unknown));
        await Assert.ThrowsAsync<SubmissionNotFoundException>(() => ReadLogsAsync(unknown, follow: false));

        Assert.Contains(unknown, stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputIsTakenByOffsetSoResentBytesAreNotStoredTwice()
    {
        var id = await StartOnHeadAsync();

        Assert.Equal(6, await Client.AppendJobOutputAsync(id, HeadNode, 0, "first\n"u8.ToArray()));
        Assert.Equal(6, await Client.AppendJobOutputAsync(id, HeadNode, 0, "first\n"u8.ToArray()));
        Assert.Equal(6, await Client.AppendJobOutputAsync(id, HeadNode, 20, "ahead\n"u8.ToArray()));
        Assert.Equal(13, await Client.AppendJobOutputAsync(id, HeadNode, 0, "first\nsecond\n"u8.ToArray()));

        Assert.Equal("first\nsecond\n", await ReadLogsAsync(id, follow: false));
        Assert.Equal(13, (await FindAsync(id)).OutputBytes);
    }

    [Fact]
    public async Task FollowingAJobsLogsGivesItsOutputAsItComesAndEndsWhenTheJobEnds()
    {
        var id = await StartOnHeadAsync();
        await Client.AppendJobOutputAsync(id, HeadNode, 0, "one\n"u8.ToArray());

        var following = ReadLogsAsync(id, follow: true);
        await Client.AppendJobOutputAsync(id, HeadNode, 4, "two\n"u8.ToArray());
        Assert.False(following.IsCompleted, "the logs ended while the job runs");
        await ReportExitAsync(id, HeadNode, 0);

        Assert.Equal("one\ntwo\n", await following.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task ADriversRegisteredJobIsListedWithItsSubmissionAndFinishesWhenItEnds()
    {
        var id = await StartOnHeadAsync();
        byte[] job = ControlTestCluster.NewId();

        await Client.RegisterJobAsync(job, driverPid: 77, "default", "App", submissionId: id);
        Assert.Equal(job, (await FindAsync(id)).JobId.ToByteArray());
        await ReportExitAsync(id, HeadNode, 1);

        Assert.Equal(JobState.Finished, Assert.Single(await Client.ListJobsAsync()).State);
    }

    private async Task<SubmissionInfo> SubmitAsync(params string[] argv)
    {
        var request = new SubmitJobRequest { PackageId = PackageId, Submitter = "tester@host" };
        request.Argv.AddRange(argv);
        request.Env["ROUNDS"] = "1";
        return await Client.SubmitJobAsync(request);
    }

    private async Task<string> StartOnHeadAsync()
    {
        var submitted = await SubmitAsync("dotnet", "App.dll");
        Assert.Contains((await HeartbeatAsync(HeadNode)).DriversToStart, d => d.SubmissionId == submitted.SubmissionId);
        return submitted.SubmissionId;
    }

    private Task<HeartbeatAnswer> HeartbeatAsync(byte[] node) => Client.HeartbeatAsync(node, null, null, null, CancellationToken.None);

    private Task<SubmissionInfo> ReportExitAsync(string id, byte[] node, int exitCode) => Client.ReportJobExitAsync(new ReportJobExitRequest
    {
        SubmissionId = id,
        NodeId = ByteString.CopyFrom(node),
        HasExitCode = true,
        ExitCode = exitCode,
    });

    private async Task<SubmissionInfo> FindAsync(string id) => Assert.Single(await Client.ListSubmittedJobsAsync(), s => s.SubmissionId == id);

    private async Task<string> ReadLogsAsync(string id, bool follow)
    {
        var text = new StringBuilder();
        await foreach (var chunk in Client.ReadJobLogsAsync(id, 0, follow))
        {
            text.Append(chunk.Data.ToStringUtf8());
        }

        return text.ToString();
    }
}
