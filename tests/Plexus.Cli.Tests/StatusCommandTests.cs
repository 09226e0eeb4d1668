using System.Text.Json;

namespace Plexus.Cli.Tests;

/// <summary><c>plexus status</c> against a real control service: what nodes and jobs it shows, and how it fails.</summary>
public sealed class StatusCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] HeadId = [0x0a, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];
    private static readonly byte[] WorkerId = [0x0b, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];
    private static readonly byte[] JobId = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10];

    private readonly TempDirectory _directory = new();
    private ControlServerFixture _control = null!;

    public async Task InitializeAsync()
    {
        _control = await ControlServerFixture.StartAsync();
        var client = _control.Client;
        await client.RegisterNodeAsync(HeadId, "tcp:10.0.0.5:7001", new Dictionary<string, double> { ["CPU"] = 8, ["object_store_memory"] = 2L << 30 }, pid: 4242);
        await client.RegisterNodeAsync(WorkerId, "tcp:10.0.0.6:7001", new Dictionary<string, double> { ["CPU"] = 4, ["ssd"] = 1 }, pid: 4343);
        Assert.True(await client.HeartbeatAsync(HeadId, new Dictionary<string, double> { ["CPU"] = 3, ["object_store_memory"] = 1L << 30 }));
        Assert.True(await client.HeartbeatAsync(WorkerId, new Dictionary<string, double> { ["CPU"] = 1.5 }));
        await client.RegisterJobAsync(JobId, driverPid: 5151, "default", "WordCount");
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task JsonListsEveryNodeWithItsResourcesAndUsageAndEveryJob()
    {
        var result = await Cli().RunAsync("status", "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        Assert.Equal(_control.HostPort, root.GetProperty("controlAddress").GetString());

        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal([Convert.ToHexStringLower(HeadId), Convert.ToHexStringLower(WorkerId)], nodes.Select(n => n.GetProperty("nodeId").GetString()));
        var head = nodes[0];
        Assert.Equal("tcp:10.0.0.5:7001", head.GetProperty("address").GetString());
        Assert.Equal("ALIVE", head.GetProperty("state").GetString());
        Assert.Equal(4242, head.GetProperty("pid").GetInt32());
        Assert.Equal(8, head.GetProperty("resources").GetProperty("CPU").GetDouble());
        Assert.Equal(2L << 30, head.GetProperty("resources").GetProperty("object_store_memory").GetDouble());
        Assert.Equal(3, head.GetProperty("used").GetProperty("CPU").GetDouble());
        Assert.Equal(1L << 30, head.GetProperty("used").GetProperty("object_store_memory").GetDouble());
        Assert.Equal(JsonValueKind.Array, head.GetProperty("infeasible").ValueKind);
        Assert.True(head.GetProperty("heartbeatAgeMs").GetInt64() >= 0);
        Assert.Equal(1, nodes[1].GetProperty("resources").GetProperty("ssd").GetDouble());
        Assert.Equal(1.5, nodes[1].GetProperty("used").GetProperty("CPU").GetDouble());

        var job = Assert.Single(root.GetProperty("jobs").EnumerateArray());
        Assert.Equal(Convert.ToHexStringLower(JobId), job.GetProperty("jobId").GetString());
        Assert.Equal("RUNNING", job.GetProperty("state").GetString());
        Assert.Equal("WordCount", job.GetProperty("entry").GetString());
        Assert.Equal(5151, job.GetProperty("driverPid").GetInt32());
        Assert.True(job.GetProperty("startUnixMs").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("endUnixMs").ValueKind);
    }

    [Fact]
    public async Task TablesShowUsedOfTotalWithMemoryInBytesForPeople()
    {
        var result = await Cli().RunAsync("status", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("0a112233", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Contains("tcp:10.0.0.6:7001", StringComparison.Ordinal), result.Output);
        Assert.Contains("3/8", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 GiB / 2 GiB", result.Output, StringComparison.Ordinal);
        Assert.Contains("1.5/4", result.Output, StringComparison.Ordinal);
        Assert.Contains("WordCount", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal);

        // CPU and the object store come first, custom resources after them.
        int cpu = result.Output.IndexOf("CPU", StringComparison.Ordinal);
        int memory = result.Output.IndexOf("object_store_memory", StringComparison.Ordinal);
        int ssd = result.Output.IndexOf("ssd", StringComparison.Ordinal);
        Assert.True(cpu >= 0 && cpu < memory && memory < ssd, result.Output);
    }

    [Fact]
    public async Task AddressAndTokenComeFromTheEnvironment()
    {
        var result = await new CliRun(Path.Combine(_directory.Path, "none"))
            .WithVariable("PLEXUS_ADDRESS", "plexus://" + _control.HostPort)
            .WithVariable("PLEXUS_TOKEN", ControlServerFixture.Token)
            .RunAsync("status", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(2, JsonDocument.Parse(result.Output).RootElement.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task WithoutAddressItAsksTheHeadStartedOnThisMachine()
    {
        var local = Path.Combine(_directory.Path, "local");
        Directory.CreateDirectory(local);
        await File.WriteAllTextAsync(Path.Combine(local, "node.json"), $$"""{"pid": 1, "nodeId": "0a", "nodeAddress": "tcp:x:1", "controlAddress": "{{_control.HostPort}}", "head": true, "processStartTicks": 1}""");
        await File.WriteAllTextAsync(Path.Combine(local, "token"), ControlServerFixture.Token + "\n");

        var result = await new CliRun(local).RunAsync("status", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(_control.HostPort, JsonDocument.Parse(result.Output).RootElement.GetProperty("controlAddress").GetString());
    }

    [Fact]
    public async Task WrongTokenFailsWithAClearMessage()
    {
        var result = await new CliRun(_directory.Path).WithVariable("PLEXUS_TOKEN", "not-the-token")
            .RunAsync("status", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("cluster token is missing or wrong", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task UnreachableHeadFailsWithAClearMessage()
    {
        // The port of a server that has just stopped: nothing listens there.
        var stopped = await ControlServerFixture.StartAsync();
        string address = stopped.HostPort;
        await stopped.DisposeAsync();

        var result = await Cli().RunAsync("status", "--address", address);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains($"The control service at http://{address}/ is unreachable", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnyAddressItSaysHowToGiveOne()
    {
        var result = await Cli().RunAsync("status");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("Give --address HOST:PORT or set PLEXUS_ADDRESS", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnyTokenItSaysHowToGiveOne()
    {
        var result = await new CliRun(Path.Combine(_directory.Path, "none")).RunAsync("status", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("give --token-file FILE or set PLEXUS_TOKEN", result.Error, StringComparison.Ordinal);
    }

    private CliRun Cli() => new CliRun(_directory.Path).WithVariable("PLEXUS_TOKEN", ControlServerFixture.Token);
}
