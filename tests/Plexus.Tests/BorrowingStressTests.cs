namespace Plexus.Tests;

/// <summary>A cluster with one CPU: every task and actor shares one worker process, as on a loaded machine.</summary>
public sealed class OneCpuCluster : ClusterFixture
{
    protected override PlexusOptions Options => new() { Cpus = 1, StoreCapacity = 512L << 20 };
}

/// <summary>Refs handed on through chains of tasks stay alive while anyone holds them, whatever the timing.</summary>
[Slow]
public sealed class BorrowingStressTests(OneCpuCluster cluster) : IClassFixture<OneCpuCluster>
{
    private const int Levels = 5;
    private const int DataSize = 20 << 20;

    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task EveryRefInAChainOfReturnedRefsArrivesUnderLoad()
    {
        using var load = new CpuLoad(Environment.ProcessorCount);
        for (var round = 0; round < 25; round++)
        {
            var signal = Plexus.Actor(() => new Signal()).WithMaxConcurrency(4).Remote();
            var data = Plexus.Task<int, byte[]>(ChainFunctions.Fill).Remote(DataSize);
            var dataId = data.Id;
            var top = Plexus.Task<List<ObjectRef<byte[]>>, int, ActorHandle<Signal>, Link>(ChainFunctions.Level)
                .Remote(new List<ObjectRef<byte[]>> { data }, 1, signal);

            // Unwrap the refs each level returned, down to the last level's result, still pending.
            var tail = top;
            for (var level = 1; level < Levels; level++)
            {
                var link = await tail.GetAsync(TimeSpan.FromSeconds(60));
                tail = link.Next ?? throw new InvalidOperationException($"level {level} returned no ref to level {level + 1}");
            }

            data.Dispose();
            Assert.True(Plexus.EmbeddedNode().DescribeStore().Any(o => o.Id == dataId), $"round {round}: the data was freed while the last level still holds it");
            await signal.Call(s => s.Release());
            var last = await tail.GetAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(ChainFunctions.Checksum(DataSize), last.Sum);
        }
    }

    /// <summary>Threads that keep every core busy while they live.</summary>
    private sealed class CpuLoad : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread[] _threads;

        public CpuLoad(int threads)
        {
            _threads = [.. Enumerable.Range(0, threads).Select(_ => new Thread(Spin) { IsBackground = true, Priority = ThreadPriority.BelowNormal })];
            foreach (var thread in _threads)
            {
                thread.Start();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            foreach (var thread in _threads)
            {
                thread.Join();
            }

            _stop.Dispose();
        }

        private void Spin()
        {
            var x = 0UL;
            while (!_stop.IsCancellationRequested)
            {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            }

            GC.KeepAlive(x);
        }
    }
}

/// <summary>One level of a chain: a ref to the next level's result, or (last level) what it computed.</summary>
public sealed record Link(ObjectRef<Link>? Next, long Sum);

/// <summary>An actor that holds its callers until released.</summary>
public sealed class Signal
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<bool> WaitAsync()
    {
        await _released.Task;
        return true;
    }

    public bool Release() => _released.TrySetResult();
}

public static class ChainFunctions
{
    public static byte[] Fill(int size)
    {
        var data = new byte[size];
        for (var i = 0; i < size; i++)
        {
            data[i] = (byte)(i * 31);
        }

        return data;
    }

    public static long Checksum(int size)
    {
        long sum = 0;
        for (var i = 0; i < size; i++)
        {
            sum += (byte)(i * 31);
        }

        return sum;
    }

    /// <summary>
    /// Levels below the last pass the data's ref on to the next level and return a ref to its
    /// result; the last waits for the signal, then reads the data. Every level starts with a full
    /// collection, as a level that allocates heavily would, so finalizers run at any moment.
    /// </summary>
    public static async Task<Link> Level(List<ObjectRef<byte[]>> data, int level, ActorHandle<Signal> signal)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (level < 5)
        {
            var next = PlexusRuntime.Current.Task<List<ObjectRef<byte[]>>, int, ActorHandle<Signal>, Link>(Level)
                .Remote(new List<ObjectRef<byte[]>> { data[0] }, level + 1, signal);
            return new Link(next, 0);
        }

        await signal.Call(s => s.WaitAsync());
        var bytes = await data[0];
        long sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return new Link(null, sum);
    }
}
