using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>The test network and process handling under <see cref="TestCluster"/>, proven with stand-in processes.</summary>
[Slow]
[Collection(RunAloneCollection.Name)] // DisposeRemovesEveryNamespaceAndLinkItCreated compares the machine's lists
public sealed class FixturePlumbingTests(ITestOutputHelper output)
{
    private const int EchoPort = 7000;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    [NamespacesFact]
    public async Task EachNamespaceIsReachableFromTheHostAndFromAnotherNamespace()
    {
        using var temp = new TempDirectory();
        await using var network = await NetworkNamespaces.CreateAsync();
        var first = await network.AddHostAsync();
        var second = await network.AddHostAsync();
        await using var firstServer = StartEchoServer(first, temp);
        await using var secondServer = StartEchoServer(second, temp);

        foreach (var host in network.Hosts)
        {
            var answer = await Eventually.ValueAsync<string?>(() => TryEchoAsync(host.Address, "hello"), a => a is not null, $"{host} answers");
            Assert.Equal($"hello from {network.Run.BridgeAddress}", answer);
        }

        var across = await HostCommand.RunAsync(second.Wrap(StandIn.Command("echo_client.py", first.Address.ToString(), Port, "across")), CommandTimeout);
        Assert.True(across.ExitCode == 0, across.ToString());
        Assert.Equal($"across from {second.Address}", across.StandardOutput.Trim());
    }

    [NamespacesFact]
    public async Task DisposeRemovesEveryNamespaceAndLinkItCreated()
    {
        var namespacesBefore = await IpCommand.NamespacesAsync();
        var linksBefore = await IpCommand.LinksAsync();
        var network = await NetworkNamespaces.CreateAsync();
        try
        {
            await network.AddHostAsync();
            await network.AddHostAsync();
            Assert.Equal(2, (await IpCommand.NamespacesAsync()).Count(network.Run.Owns));
            Assert.Equal(3, (await IpCommand.LinksAsync()).Count(network.Run.Owns)); // the bridge and two host ends
        }
        finally
        {
            await network.DisposeAsync();
        }

        Assert.Equal(namespacesBefore.Order(), (await IpCommand.NamespacesAsync()).Order());
        Assert.Equal(linksBefore.Order(), (await IpCommand.LinksAsync()).Order());
    }

    [NamespacesFact]
    public async Task LeftoversOfARunWhoseProcessDiedAreRemovedByTheNextRun()
    {
        var dead = await DeadProcessAsync();
        var leftover = await NetworkNamespaces.CreateAsync(owner: dead);
        try
        {
            await leftover.AddHostAsync();
            Assert.Contains(leftover.Run.NamespaceName(1), await IpCommand.NamespacesAsync());

            await using var next = await NetworkNamespaces.CreateAsync();

            Assert.DoesNotContain(await IpCommand.NamespacesAsync(), leftover.Run.Owns);
            Assert.DoesNotContain(await IpCommand.LinksAsync(), leftover.Run.Owns);
        }
        finally
        {
            await leftover.DisposeAsync();
        }
    }

    [NamespacesFact]
    public async Task ARunWhoseProcessLivesIsLeftAlone()
    {
        await using var live = await NetworkNamespaces.CreateAsync();
        await live.AddHostAsync();

        await using var next = await NetworkNamespaces.CreateAsync();

        Assert.Contains(live.Run.NamespaceName(1), await IpCommand.NamespacesAsync());
        Assert.Contains(live.Run.BridgeName, await IpCommand.LinksAsync());
        Assert.NotEqual(live.Run.SubnetOctet, next.Run.SubnetOctet);
    }

    [Fact]
    public async Task LoopbackHostsEachGetTheirOwnAddress()
    {
        using var temp = new TempDirectory();
        await using var network = new LoopbackNetwork();
        var first = await network.AddHostAsync();
        var second = await network.AddHostAsync();
        Assert.NotEqual(first.Address, second.Address);
        var port = network.FreePort(first);
        await using var server = ClusterProcess.Start("echo", first, StandIn.Command("echo_server.py", first.Address.ToString(), port.ToString(CultureInfo.InvariantCulture)), temp.File("echo.log"));

        var answer = await Eventually.ValueAsync<string?>(() => TryEchoAsync(first.Address, "hello", port), a => a is not null, "the server on the first address answers");

        Assert.Equal("hello from 127.0.0.1", answer);
        Assert.Null(await TryEchoAsync(second.Address, "hello", port));
    }

    [Fact]
    public async Task KillingAProcessLeavesNoProcessOfItsTree()
    {
        using var temp = new TempDirectory();
        var process = ClusterProcess.Start("tree", new NodeHost(IPAddress.Loopback, Namespace: null), StandIn.Command("process_tree.py"), temp.File("tree.log"));
        int[] tree;
        try
        {
            var ready = await Eventually.ValueAsync(process.ReadLog, log => log.StartsWith("READY", StringComparison.Ordinal), "the stand-in started its tree");
            tree = [process.Pid, .. ready.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))];
            Assert.All(tree, pid => Assert.True(ProcFs.IsRunning(pid), $"process {pid} of the tree runs before the kill"));
            output.WriteLine($"tree: {string.Join(' ', tree)}");

            await process.KillAsync();
        }
        finally
        {
            await process.DisposeAsync();
        }

        Assert.All(tree, pid => Assert.Null(ProcFs.Read(pid)));
    }

    private static ClusterProcess StartEchoServer(NodeHost host, TempDirectory temp) =>
        ClusterProcess.Start($"echo on {host}", host, StandIn.Command("echo_server.py", host.Address.ToString(), Port), temp.File($"echo-{host.Address}.log"));

    private static string Port => EchoPort.ToString(CultureInfo.InvariantCulture);

    // The answer of the echo server at the address, or null while nothing listens there.
    private static async Task<string?> TryEchoAsync(IPAddress address, string line, int port = EchoPort)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(address, port);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream);
            await using var writer = new StreamWriter(stream) { AutoFlush = true };
            await writer.WriteLineAsync(line);
            return await reader.ReadLineAsync();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    // The identity of a process that ran and exited: the owner of a run whose process died.
    private static async Task<ProcessIdentity> DeadProcessAsync()
    {
        using var process = System.Diagnostics.Process.Start("true");
        await process.WaitForExitAsync();
        return new ProcessIdentity(process.Id, StartTicks: 0);
    }
}
