using System.Text;
using Plexus.Cluster.Submissions;
using Plexus.Control;
using Plexus.Control.Submissions;

namespace Plexus.Cluster.Tests;

/// <summary>A node sends a submitted driver's output to the control service in order, with nothing lost or stored twice when calls fail.</summary>
public sealed class JobOutputSenderTests : IDisposable
{
    private const string Id = "sub-0011223344556677";
    private static readonly Uri Service = new("http://127.0.0.1:1");

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OutputReachesTheServiceWholeAndInOrderThoughCallsFailAndRepliesAreLost()
    {
        var service = new InMemoryJobOutputStore(1 << 20);
        int calls = 0;
        using var log = new DriverOutputLog(Path.Combine(_directory.Path, "jobs", Id + ".log"));
        var sender = new JobOutputSender(log, (offset, data, _) =>
        {
            switch (Interlocked.Increment(ref calls) % 3)
            {
                case 1:
                    throw new ControlServiceUnavailableException(Service, "AppendJobOutput", "not reachable");
                case 2:
                    // Taken, but the answer is lost on the way back: the node sends the same bytes again.
                    service.Append(Id, offset, data.Span);
                    throw new ControlServiceUnavailableException(Service, "AppendJobOutput", "reply lost");
                default:
                    return Task.FromResult(service.Append(Id, offset, data.Span));
            }
        })
        { RetryDelay = TimeSpan.Zero };

        var sending = sender.RunAsync(reason => Assert.Fail(reason), CancellationToken.None);
        var expected = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            string line = $"line {i} " + new string('x', i);
            log.WriteLine(line);
            expected.Append(line).Append('\n');
        }

        log.Complete();

        Assert.True(await sending.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(service.Read(Id, 0, 1 << 20).Data));
        Assert.Equal(File.ReadAllText(log.Path), expected.ToString());
    }

    [Fact]
    public async Task ARefusalEndsTheSendingWithTheServicesReason()
    {
        using var log = new DriverOutputLog(Path.Combine(_directory.Path, "jobs", Id + ".log"));
        log.WriteLine("lost");
        log.Complete();
        string? reason = null;
        var sender = new JobOutputSender(log, (_, _, _) => throw new InvalidOperationException("not running on this node"));

        bool sent = await sender.RunAsync(r => reason = r, CancellationToken.None);

        Assert.False(sent);
        Assert.Equal("not running on this node", reason);
    }
}
