namespace Plexus.Benchmarks.Data;

/// <summary>
/// <c>limit_tokenize_megabytes</c>: MB (1e6 bytes) per second of <see cref="AsciiWordCounter"/>
/// over the whole corpus in memory on one thread, times the cores: the most a distributed word
/// count reaches when reading, shuffling and merging cost nothing.
/// </summary>
internal static class TokenizeLimit
{
    // A tenth of the corpus warms the loop up: a full pass takes seconds.
    private const int WarmUpShare = 10;

    public static double Measure(byte[] corpus)
    {
        var seconds = SingleThreadLoop.BestSeconds(
            () => new AsciiWordCounter().CountLines(corpus),
            warmUp: () => new AsciiWordCounter().CountLines(corpus.AsSpan(0, corpus.Length / WarmUpShare)));
        return SingleThreadLoop.TimesCores(corpus.Length / seconds / 1e6);
    }
}
