using Plexus.Cli.Status;
using Plexus.Control;
using Plexus.Hosting.Cluster;
using Spectre.Console;

namespace Plexus.Cli.Tests;

/// <summary>The status tables' details that a control service cannot be made to report in a test: work no node can run, and finished jobs.</summary>
public sealed class StatusRendererTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Fact]
    public void WorkNoNodeCanRunIsListedWithTheNodeThatQueuedIt()
    {
        var node = new NodeStatus(
            "0a11223344556677", "tcp:10.0.0.5:7001", "ALIVE", 4242,
            new Dictionary<string, double> { ["CPU"] = 8 }, new Dictionary<string, double>(),
            ["task Train needs {GPU: 1}"], HeartbeatAgeMs: 250);

        var text = Render(new StatusReport("10.0.0.5:6380", [node], []));

        Assert.Contains("infeasible (queued at node 0a112233): task Train needs {GPU: 1}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ADriversNodeIsShownAsADriversAndItsMarkerIsNoResource()
    {
        var driversNode = new NodeInfo
        {
            NodeId = [0x0b, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88], Address = "tcp:192.168.1.20:41000", Pid = 777, State = NodeState.Alive,
            Resources = new Dictionary<string, double> { ["CPU"] = 0, ["object_store_memory"] = 1 << 30, [DriverNode.Marker] = 1 },
            ResourceUsage = new Dictionary<string, double>(), LastHeartbeatAge = TimeSpan.FromMilliseconds(100), RegisteredAt = Now,
        };

        var report = StatusReport.From("10.0.0.5:6380", [driversNode], []);
        var text = Render(report);

        Assert.Equal("driver", Assert.Single(report.Nodes).Role);
        Assert.DoesNotContain(DriverNode.Marker, report.Nodes[0].Resources.Keys);
        Assert.Matches(@"0b223344\s*│\s*driver\s*│", text);
        Assert.DoesNotContain(DriverNode.Marker, text, StringComparison.Ordinal);
    }

    [Fact]
    public void FinishedJobShowsHowLongItRan()
    {
        var start = Now.AddMinutes(-10).ToUnixTimeMilliseconds();
        var job = new JobStatus("01020304", "FINISHED", "WordCount", 5151, start, start + 90_000);

        var text = Render(new StatusReport("10.0.0.5:6380", [], [job]));

        Assert.Contains("FINISHED", text, StringComparison.Ordinal);
        Assert.Contains("1 min 30 s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDashboardsUrlIsPrintedWhenTheHeadServesOne()
    {
        var text = Render(new StatusReport("10.0.0.5:6380", [], [], "http://10.0.0.5:8265/?token=abc"));
        var without = Render(new StatusReport("10.0.0.5:6380", [], []));

        Assert.Contains("Dashboard: http://10.0.0.5:8265/?token=abc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Dashboard", without, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDashboardsUrlIsTheControlHostWithTheDashboardPortAndTheReadOnlyToken()
    {
        var access = new Plexus.Protocol.Control.GetDashboardAccessReply { Port = 8265, ReadOnlyToken = "read-only" };

        Assert.Equal("http://10.0.0.5:8265/?token=read-only", DashboardUrl.From(new Uri("http://10.0.0.5:6380"), access));
        Assert.Equal("http://10.0.0.5:9000/", DashboardUrl.From(new Uri("http://10.0.0.5:6380"), new() { Port = 9000 }));
        Assert.Null(DashboardUrl.From(new Uri("http://10.0.0.5:6380"), new() { Port = 0, ReadOnlyToken = "read-only" }));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(2L << 30, "2 GiB")]
    public void BytesAreShownInPowersOf1024(long bytes, string shown) => Assert.Equal(shown, ByteSize.Format(bytes));

    private static string Render(StatusReport report)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        StatusRenderer.Render(report, console, Now);
        return output.ToString();
    }
}
