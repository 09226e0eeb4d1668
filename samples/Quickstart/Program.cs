using Plexus;

// The README's "API in twenty lines", as a program that compiles and runs:
//   dotnet run -c Release --project samples/Quickstart
double[] samples = [.. Enumerable.Range(0, 1_000_000).Select(i => i % 100 / 10.0)];
byte[] chunk = "the quick brown fox jumps over the lazy dog"u8.ToArray();

await using var plexus = await PlexusRuntime.StartAsync();               // embedded cluster, or PLEXUS_ADDRESS
ObjectRef<double[]> data = plexus.Put(samples);                           // large arrays go to shared memory
ObjectRef<double> mean = plexus.Task<double[], double>(Stats.Mean).Remote(data); // resolved on the worker
ObjectRef<double> total = plexus.Task(static (double x, double y) => x + y).Remote(mean, 1.0); // refs and values mix
ObjectRef<Dictionary<string, int>>[] parts =
    plexus.Task<byte[], Dictionary<string, int>[]>(Text.Split).Returns(4).Remote(chunk); // 4 futures
double m = await mean;                                                    // ObjectRef<T> is awaitable
var (ready, pending) = await plexus.WaitAsync(parts, count: 2, timeout: TimeSpan.FromSeconds(5));
using (ObjectView<double> view = await data.GetViewAsync())               // zero-copy view, pinned
{
    Console.WriteLine($"first sample {view.Span[0]}, mean {m}, total {await total}, {ready.Count} parts ready");
}

var retried = plexus.Task<int, int>(Work.Fib)
    .WithOptions(new TaskOptions { MaxRetries = 5, Name = "fib" }).Remote(15);
Console.WriteLine($"fib(15) = {await retried}");                           // tasks submit tasks
data.Dispose();                                                           // drop the handle now (or let the GC)

internal static class Stats
{
    public static double Mean(double[] values) => values.Average();
}

internal static class Text
{
    public static Dictionary<string, int>[] Split(byte[] text)
    {
        var parts = Enumerable.Range(0, 4).Select(_ => new Dictionary<string, int>()).ToArray();
        foreach (var word in System.Text.Encoding.ASCII.GetString(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = parts[word.Length % parts.Length];
            part[word] = part.GetValueOrDefault(word) + 1;
        }

        return parts;
    }
}

internal static class Work
{
    public static async Task<int> Fib(int n) => n < 2 ? n :
        await PlexusRuntime.Current.Task<int, int>(Fib).Remote(n - 1) +
        await PlexusRuntime.Current.Task<int, int>(Fib).Remote(n - 2);
}
