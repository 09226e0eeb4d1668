using Plexus;

// Prints "sum 5000050000" from a task that read a 100,000-element array through shared memory.
await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2 });
using var numbers = plexus.Put(Enumerable.Range(1, 100_000).Select(i => (long)i).ToArray());
var sum = plexus.Task<long[], long>(Numbers.Sum).Remote(numbers);
Console.WriteLine($"sum {await sum}");

internal static class Numbers
{
    public static long Sum(long[] values) => values.Sum();
}
