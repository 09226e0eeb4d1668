using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Plexus.Tests;

/// <summary>Fault injection with real processes: killed workers, killed drivers, garbage on the socket.</summary>
[Slow]
public sealed class ProcessTests
{
    [Fact]
    public async Task KilledWorkerIsReplacedAndTheTaskRetried()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var result = plexus.Task<string, string, int>(TestFunctions.WritePidThenHangAsync)
            .WithOptions(new TaskOptions { MaxRetries = 2 })
            .Remote(files.PidFile, files.Marker);

        var pid = await WaitForPidAsync(files.PidFile, except: 0);
        await File.WriteAllTextAsync(files.Marker, "retry may finish");
        Process.GetProcessById(pid).Kill();

        Assert.Equal(7, await result.GetAsync(TimeSpan.FromSeconds(60)));
        await Eventually.TrueAsync(() => plexus.WorkerProcessIds.Count == 2 && !plexus.WorkerProcessIds.Contains(pid), "the killed worker is replaced");
    }

    [Fact]
    public async Task WorkerKilledMoreThanMaxRetriesGivesWorkerCrashed()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var result = plexus.Task<string, string, int>(TestFunctions.WritePidThenHangAsync)
            .WithOptions(new TaskOptions { MaxRetries = 1 })
            .Remote(files.PidFile, files.Marker);

        var first = await WaitForPidAsync(files.PidFile, except: 0);
        Process.GetProcessById(first).Kill();
        var second = await WaitForPidAsync(files.PidFile, except: first);
        Process.GetProcessById(second).Kill();

        await Assert.ThrowsAsync<WorkerCrashedException>(async () => await result.GetAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(3, await plexus.Task<int, int, int>(TestFunctions.Add).Remote(1, 2));
    }

    [Fact]
    public async Task AWorkerKilledWhileWritingAReturnBufferLeavesNoHalfWrittenObjectAndTheRetryWritesItWhole()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var node = plexus.EmbeddedNode();
        var before = node.StoreUsed;
        var result = plexus.Task<string, string, int, byte[]>(TestFunctions.HalfWriteReturnBufferThenHangAsync)
            .WithOptions(new TaskOptions { MaxRetries = 1 })
            .Remote(files.PidFile, files.Marker, ReturnBufferSize);

        var pid = await WaitForPidAsync(files.PidFile, except: 0);
        Assert.Equal(before + ReturnBufferSize, node.StoreUsed);
        Process.GetProcessById(pid).Kill();

        // The retry waits for the marker: the room comes back with the writer's death, not with the retry's create.
        await Eventually.TrueAsync(() => node.StoreUsed == before, "the killed worker's unsealed return leaves the store");
        await File.WriteAllTextAsync(files.Marker, "the retry may write");
        Assert.Equal(ReturnBufferFunctions.Pattern(ReturnBufferSize, seed: 0), await result.GetAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(before + ReturnBufferSize, node.StoreUsed);
    }

    [Fact]
    public async Task AWorkerKilledWhileWritingAReturnBufferWithNoRetryLeftFailsTheTaskAndFreesTheRoom()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var node = plexus.EmbeddedNode();
        var before = node.StoreUsed;
        var result = plexus.Task<string, string, int, byte[]>(TestFunctions.HalfWriteReturnBufferThenHangAsync)
            .WithOptions(new TaskOptions { MaxRetries = 0 })
            .Remote(files.PidFile, files.Marker, ReturnBufferSize);

        var pid = await WaitForPidAsync(files.PidFile, except: 0);
        Process.GetProcessById(pid).Kill();

        var crashed = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await result.GetAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("killed by SIGKILL", crashed.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => node.StoreUsed == before, "the killed worker's unsealed return leaves the store");
        Assert.DoesNotContain(node.DescribeStore(), o => o.Id == result.Id);
    }

    [Fact]
    public async Task AwaitingAnObjectWhoseOwnerDiedRaisesOwnerDiedInsteadOfHanging()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var child = await plexus.Task<string, ObjectRef<int>>(TestFunctions.OwnHangingChildAsync).Remote(files.PidFile);
        Assert.NotEqual(ProcessAddress.DriverProcess, child.Owner.Process);
        var value = child.GetAsync().AsTask();

        Process.GetProcessById(await WaitForPidAsync(files.PidFile, except: 0)).Kill();

        await Assert.ThrowsAsync<OwnerDiedException>(() => value.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task UsingADisposedRuntimeSaysSoOnce()
    {
        var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var pending = plexus.Task<string, string, int>(TestFunctions.WritePidThenHangAsync).Remote(files.PidFile, files.Marker);
        await plexus.DisposeAsync();

        var failed = await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pending);
        var refused = Assert.Throws<ObjectDisposedException>(() => plexus.Put(1));
        foreach (var message in new[] { failed.Message, refused.Message })
        {
            Assert.Contains("disposed", message, StringComparison.Ordinal);
            Assert.True(message.Split("Object name").Length <= 2, $"the message repeats itself: {message}");
        }
    }

    [Fact]
    public async Task ReadingAStoredObjectWhoseOwnerDiedAfterItWasReadRaisesOwnerDied()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        using var files = new TempFiles();
        var data = await plexus.Task<string, ObjectRef<byte[]>>(TestFunctions.OwnLargePutAsync).Remote(files.PidFile);
        Assert.Equal(1 << 20, (await data).Length);

        Process.GetProcessById(await WaitForPidAsync(files.PidFile, except: 0)).Kill();
        await Eventually.TrueAsync(() => !plexus.EmbeddedNode().DescribeStore().Any(o => o.Id == data.Id), "the dead owner's object leaves the store");

        await Assert.ThrowsAsync<OwnerDiedException>(async () => await data);
        await Assert.ThrowsAsync<OwnerDiedException>(async () => (await data.GetViewAsync()).Dispose());
    }

    [Fact]
    public async Task WorkersThatCannotStartFailQueuedTasksInsteadOfLeavingThemWaiting()
    {
        // Only the first worker starts; every replacement exits at once, before joining.
        var options = new PlexusOptions
        {
            Cpus = 1,
            StoreCapacity = 64L << 20,
            WorkerLaunchFault = (process, start) => process == 1 ? start : new ProcessStartInfo("/bin/false"),
        };
        await using var plexus = await PlexusRuntime.StartLocalAsync(options);
        using var files = new TempFiles();
        var running = plexus.Task<string, string, int>(TestFunctions.WritePidThenHangAsync)
            .WithOptions(new TaskOptions { MaxRetries = 0 })
            .Remote(files.PidFile, files.Marker);
        Process.GetProcessById(await WaitForPidAsync(files.PidFile, except: 0)).Kill();
        await Assert.ThrowsAsync<WorkerCrashedException>(async () => await running.GetAsync(TimeSpan.FromSeconds(60)));

        var queued = plexus.Task<int, int, int>(TestFunctions.Add).Remote(1, 2);
        var e = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await queued.GetAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("before joining", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterStartFailsClearlyWhenNoWorkerCanStart()
    {
        var options = new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20, WorkerLaunchFault = (_, _) => new ProcessStartInfo("/bin/false") };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PlexusRuntime.StartLocalAsync(options));
        Assert.Contains("before joining", e.Message, StringComparison.Ordinal);

        // Nothing was left running: a cluster starts normally afterwards.
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20 });
        Assert.Equal(3, await plexus.Task<int, int, int>(TestFunctions.Add).Remote(1, 2));
    }

    [Fact]
    public async Task GarbageOnTheNodeSocketDoesNotHurtTheNode()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        foreach (var garbage in new[] { new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2 }, new byte[] { 5, 0, 0, 0, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE }, new byte[] { 3, 0 } })
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint("\0" + plexus.NodeSocketName));
            await socket.SendAsync(garbage);
            socket.Shutdown(SocketShutdown.Send);
        }

        Assert.Equal(5, await plexus.Task<int, int, int>(TestFunctions.Add).Remote(2, 3));
        Assert.Equal(2, plexus.WorkerProcessIds.Count);
    }

    [Fact]
    public async Task ADriverJoiningWithAWrongTokenIsRefusedAtOnceAndTheNodeGoesOn()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20 });
        var wrong = plexus.Address! with { Token = "not-the-token" };

        using var driver = TestDriverProcess.Start("join", wrong.ToString());
        var outcome = await driver.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.StartsWith("refused InvalidClusterTokenException", outcome, StringComparison.Ordinal);
        Assert.Equal(5, await plexus.Task<int, int, int>(TestFunctions.Add).Remote(2, 3));
    }

    [Fact]
    public async Task DisposingTheRuntimeStopsEveryWorker()
    {
        var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
        var pids = plexus.WorkerProcessIds.ToList();
        var pending = plexus.Task<int, int>(TestFunctions.Slow).Remote(1);
        await plexus.DisposeAsync();

        Assert.All(pids, pid => Assert.False(TestDriverProcess.IsAlive(pid)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pending);
        Assert.Throws<ObjectDisposedException>(() => plexus.Put(1));
    }

    [Fact]
    public async Task KilledDriverTakesItsWorkersAndSharedMemoryWithIt()
    {
        using var driver = TestDriverProcess.Start("hold");
        var ready = await driver.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("READY", ready, StringComparison.Ordinal);
        var workers = ready!.Split(' ').Skip(1).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(workers);

        driver.Kill();
        await Eventually.TrueAsync(() => workers.All(pid => !TestDriverProcess.IsAlive(pid)), "the driver's workers exit");
        Assert.Empty(Directory.GetFiles("/dev/shm", $"plexus-{driver.Id}-*"));
    }

    [Fact]
    public async Task SameProgramDerivesTheSameIdsRelativeToItsRootAndJobsNeverShare()
    {
        var first = await RunIdsProgramAsync();
        var second = await RunIdsProgramAsync();
        Assert.Equal("42", first[3]);
        for (var i = 0; i < 3; i++)
        {
            // An id's text is job (32 hex) + task path (16 hex) + index (8 hex).
            Assert.Equal(first[i][32..], second[i][32..]);
            Assert.NotEqual(first[i][..32], second[i][..32]);
        }

        Assert.Equal(3, first.Take(3).Distinct().Count());
    }

    private static async Task<string[]> RunIdsProgramAsync()
    {
        using var driver = TestDriverProcess.Start("ids");
        var output = await driver.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await driver.WaitForExitAsync();
        Assert.Equal(0, driver.ExitCode);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    // Above the inline threshold: the return buffer is created in the store at once.
    private const int ReturnBufferSize = 1 << 20;

    private static async Task<int> WaitForPidAsync(string file, int except)
    {
        var written = await Eventually.ValueAsync(() => ReadPidAsync(file), read => read is { } pid && pid != except, $"a task writes a pid other than {except} to {file}", TimeSpan.FromSeconds(60));
        return written!.Value;
    }

    // Null until a whole pid is there: the file may exist before its writer has written it.
    private static async Task<int?> ReadPidAsync(string file) =>
        File.Exists(file) && int.TryParse(await File.ReadAllTextAsync(file), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private sealed class TempFiles : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public string PidFile => Path.Combine(_directory.Path, "pid");

        public string Marker => Path.Combine(_directory.Path, "done");

        public void Dispose() => _directory.Dispose();
    }
}
