namespace Plexus.Tests;

/// <summary>Task functions used by the tests: static methods, as tasks must be.</summary>
public static class TestFunctions
{
    public static int Add(int a, int b) => a + b;

    public static double Sum(double[] values) => values.Sum();

    public static double SumInPlace(ReadOnlyMemory<double> values)
    {
        var sum = 0.0;
        foreach (var v in values.Span)
        {
            sum += v;
        }

        return sum;
    }

    public static int Eight(int a, int b, int c, int d, int e, int f, int g, int h) => a + b + c + d + e + f + g + h;

    public static int[] Split(int count) => [.. Enumerable.Range(10, count)];

    public static async Task<string> GreetLaterAsync(string name)
    {
        await Task.Delay(10);
        return "hello " + name;
    }

    public static async Task<int> SumOfRefsAsync(ObjectRef<int>[] refs)
    {
        var total = 0;
        foreach (var r in refs)
        {
            total += await r;
        }

        return total;
    }

    public static async Task<int> ChainAsync(int depth)
    {
        if (depth == 0)
        {
            return 0;
        }

        return await PlexusRuntime.Current.Task<int, int>(ChainAsync).Remote(depth - 1) + 1;
    }

    public static int Fail(string message) => throw new InvalidOperationException(message);

    public static int Echo(int value) => value;

    public static Order Reprice(Order order, decimal factor) => order with { Price = order.Price * factor };

    public static async Task<int> WritePidThenHangAsync(string pidFile, string doneMarker)
    {
        if (File.Exists(doneMarker))
        {
            return 7;
        }

        await WritePidAsync(pidFile);
        await Task.Delay(TimeSpan.FromMinutes(5));
        return -1;
    }

    /// <summary>
    /// Marks itself running in <paramref name="directory"/> and reports whether another task ran
    /// there at the same time: it saw another's "run" file, or another left a "saw" file after
    /// seeing this one (which covers the other finishing first).
    /// </summary>
    public static async Task<bool> SeesAnotherRunningAsync(string directory, int waitMs)
    {
        var id = Guid.NewGuid().ToString("N");
        var running = Path.Combine(directory, "run-" + id);
        await File.WriteAllTextAsync(running, "running");
        try
        {
            var deadline = Environment.TickCount64 + waitMs;
            while (Environment.TickCount64 < deadline)
            {
                if (Directory.GetFiles(directory, "run-*").Length > 1 || Directory.GetFiles(directory, "saw-*").Length > 0)
                {
                    await File.WriteAllTextAsync(Path.Combine(directory, "saw-" + id), "saw");
                    return true;
                }

                await Task.Delay(10);
            }

            return false;
        }
        finally
        {
            File.Delete(running);
        }
    }

    /// <summary>Submits a child that never finishes and returns its ref: this task's worker owns the child's result.</summary>
    public static async Task<ObjectRef<int>> OwnHangingChildAsync(string pidFile)
    {
        var child = PlexusRuntime.Current.Task<int, int>(HangAsync).Remote(0);
        await WritePidAsync(pidFile);
        return child;
    }

    /// <summary>Puts a large array (this worker owns it) and returns its ref, then writes its pid.</summary>
    public static async Task<ObjectRef<byte[]>> OwnLargePutAsync(string pidFile)
    {
        var data = PlexusRuntime.Current.Put(new byte[1 << 20]);
        await WritePidAsync(pidFile);
        return data;
    }

    // Written whole, then renamed: the test never reads a half-written pid.
    /// <summary>
    /// The first attempt writes half of its return buffer (pattern seed 0), then its pid to
    /// <paramref name="pidFile"/>, and hangs to be killed; a retry (the pid file is there) waits for
    /// <paramref name="retryMarker"/>, then writes its buffer whole and returns it sealed.
    /// </summary>
    public static async Task<byte[]> HalfWriteReturnBufferThenHangAsync(string pidFile, string retryMarker, int length)
    {
        var pattern = ReturnBufferFunctions.Pattern(length, seed: 0);
        if (File.Exists(pidFile))
        {
            await Eventually.TrueAsync(() => File.Exists(retryMarker), "the test lets the retry write", TimeSpan.FromMinutes(2));
            pattern.CopyTo(PlexusRuntime.Current.CreateReturnBuffer(0, length).Memory);
            return null!;
        }

        pattern.AsMemory(0, length / 2).CopyTo(PlexusRuntime.Current.CreateReturnBuffer(0, length).Memory);
        await WritePidAsync(pidFile);
        await Task.Delay(TimeSpan.FromMinutes(5));
        throw new TimeoutException("The test did not kill this task's worker.");
    }

    private static async Task WritePidAsync(string pidFile)
    {
        await File.WriteAllTextAsync(pidFile + ".tmp", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(pidFile + ".tmp", pidFile, overwrite: true);
    }

    public static async Task<int> HangAsync(int value)
    {
        await Task.Delay(TimeSpan.FromMinutes(5));
        return value;
    }

    /// <summary>Returns <paramref name="value"/> once the test creates <paramref name="gate"/>.</summary>
    public static async Task<int> GatedAsync(int value, string gate)
    {
        await WaitForGateAsync(gate);
        return value;
    }

    public static async Task<double> SumAfterGateAsync(double[] values, string gate)
    {
        await WaitForGateAsync(gate);
        return values.Sum();
    }

    public static async Task<double[]> LargeArrayAfterGateAsync(int length, string gate)
    {
        await WaitForGateAsync(gate);
        return new double[length];
    }

    private static async Task WaitForGateAsync(string gate)
    {
        var deadline = Environment.TickCount64 + 120_000;
        while (!File.Exists(gate))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"The test never opened {gate}.");
            }

            await Task.Delay(10);
        }

        // Gone through: the gate goes, which a test that cannot await the result (it dropped it) waits for.
        File.Delete(gate);
    }

    public static int Slow(int value)
    {
        Thread.Sleep(2000);
        return value;
    }

    /// <summary>Passes the ref inside <paramref name="box"/> down a chain of tasks; the last stores it in its returned object.</summary>
    public static async Task<Box> PassAlongAsync(Box box, int depth) =>
        depth <= 1 ? new Box(box.Data) : await PlexusRuntime.Current.Task<Box, int, Box>(PassAlongAsync).Remote(box, depth - 1);

    // Refs a worker keeps after its task returns: it stays their borrower until it exits.
    private static readonly List<ObjectRef> KeptRefs = [];

    /// <summary>Reads the boxed ref's length and drops the ref without disposing it.</summary>
    public static async Task<int> ReadAndForgetAsync(Box box) => (await box.Data).Length;

    /// <summary>Keeps the ref in a static field and returns the worker's pid.</summary>
    public static int KeepRef(Box box)
    {
        lock (KeptRefs)
        {
            KeptRefs.Add(box.Data);
        }

        return Environment.ProcessId;
    }

    public static long Checksum(byte[] bytes)
    {
        long sum = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            sum = (sum * 31) + bytes[i];
        }

        return sum;
    }

    /// <summary>Puts <paramref name="bytes"/> bytes from inside a task (waiting while the store is full) and frees them.</summary>
    public static int PutInTask(int bytes)
    {
        using var data = PlexusRuntime.Current.Put(new byte[bytes]);
        return bytes;
    }

    /// <summary>Puts asynchronously, giving up after <paramref name="cancelAfterMs"/>: what happened.</summary>
    public static async Task<string> PutAsyncInTask(int bytes, int cancelAfterMs)
    {
        using var cancel = new CancellationTokenSource(cancelAfterMs);
        try
        {
            using var data = await PlexusRuntime.Current.PutAsync(new byte[bytes], cancel.Token);
            return "stored";
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }
}

public sealed record Order(string Sku, int Quantity, decimal Price, List<string> Tags);

public sealed class WithCallback
{
    public string Name { get; set; } = "";

    public Action? Callback { get; set; }
}

/// <summary>A value that contains a ref.</summary>
public sealed record Box(ObjectRef<byte[]> Data);

/// <summary>The pid of the worker that put <see cref="Data"/>, which it owns.</summary>
public sealed record OwnedPut(int Pid, ObjectRef<byte[]> Data)
{
    /// <summary>Puts <paramref name="bytes"/> bytes from inside a task: the worker owns them while the ref lives.</summary>
    public static OwnedPut Make(int bytes) => new(Environment.ProcessId, PlexusRuntime.Current.Put(new byte[bytes]));
}
