using Google.Protobuf;
using Plexus.Protocol.Control;

namespace Plexus.Control.Tests.Submissions;

/// <summary>Submitted jobs and their output outlive a restart of the control service over file storage.</summary>
public sealed class SubmissionRestartTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AServiceOverAFileStoreListsItsSubmittedJobsAndServesTheirOutputAfterARestart()
    {
        string storage = "file://" + Path.Combine(_directory.Path, "control");
        byte[] node = ControlTestCluster.NewId();
        SubmissionInfo ended;
        string pending;
        await using (var first = await ControlTestCluster.StartAsync(storage: storage))
        {
            await first.Client.RegisterNodeAsync(node, "tcp:127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 1 }, pid: 1);
            var request = new SubmitJobRequest { PackageId = new string('b', 64), Submitter = "tester@host" };
            request.Argv.Add("dotnet");
            var done = await first.Client.SubmitJobAsync(request);
            await first.Client.HeartbeatAsync(node, null, null, null, CancellationToken.None);
            await first.Client.AppendJobOutputAsync(done.SubmissionId, node, 0, "kept\n"u8.ToArray());
            ended = await first.Client.ReportJobExitAsync(new ReportJobExitRequest
            {
                SubmissionId = done.SubmissionId, NodeId = ByteString.CopyFrom(node), HasExitCode = true, ExitCode = 4,
            });
            pending = (await first.Client.SubmitJobAsync(request)).SubmissionId;
        }

        await using var restarted = await ControlTestCluster.StartAsync(storage: storage);

        var listed = await restarted.Client.ListSubmittedJobsAsync();
        Assert.Equal([ended.SubmissionId, pending], listed.Select(s => s.SubmissionId));
        var recovered = listed[0];
        Assert.Equal(SubmissionState.Failed, recovered.State);
        Assert.Equal(4, recovered.ExitCode);
        Assert.Equal(ended.EndUnixMs, recovered.EndUnixMs);
        Assert.Equal("tester@host", recovered.Submitter);
        Assert.Equal(5, recovered.OutputBytes);
        var chunk = Assert.Single(await restarted.Client.ReadJobLogsAsync(recovered.SubmissionId, 0, follow: false).ToListAsync());
        Assert.Equal("kept\n", chunk.Data.ToStringUtf8());
        Assert.Equal(SubmissionState.Pending, listed[1].State);
    }
}
