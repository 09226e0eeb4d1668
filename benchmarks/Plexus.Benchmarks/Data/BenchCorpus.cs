using System.Diagnostics;
using Plexus.Samples.Sort;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// The word-count corpus, one file of about 200 MB shared by Plexus's figures, their limit and
/// Dask: built by the Dask peer's make_corpus.py from the machine's licence texts when Python is
/// there (the same text Dask is measured on elsewhere), else generated here from a fixed seed.
/// The file is deleted on <see cref="Dispose"/>.
/// </summary>
internal sealed class BenchCorpus : IDisposable
{
    private const long TargetBytes = 200_000_000;
    private const int Vocabulary = 30_000;

    private readonly string _folder;

    private BenchCorpus(string folder, string path, string source)
    {
        _folder = folder;
        Path = path;
        Source = source;
    }

    /// <summary>The corpus file.</summary>
    public string Path { get; }

    /// <summary>How it was made, for the progress log.</summary>
    public string Source { get; }

    public static BenchCorpus Create()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"plexus-bench-corpus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, "corpus.txt");
        if (PeerScripts.DaskFolder() is { } dask && File.Exists(PeerScripts.Python) && File.Exists(System.IO.Path.Combine(dask, "make_corpus.py")))
        {
            // The manifest goes beside the corpus: the peers' folder is read-only in CI.
            var error = RunMakeCorpus(System.IO.Path.Combine(dask, "make_corpus.py"), path, System.IO.Path.Combine(folder, "manifest.tsv"));
            if (error is null)
            {
                return new BenchCorpus(folder, path, "make_corpus.py");
            }

            Console.Error.WriteLine($"make_corpus.py failed ({error}); generating the corpus instead.");
        }

        Generate(path);
        return new BenchCorpus(folder, path, "generated");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string? RunMakeCorpus(string script, string output, string manifest)
    {
        var start = new ProcessStartInfo(PeerScripts.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "--out", output, "--write-manifest", manifest })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{PeerScripts.Python} did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(output) ? null : $"exit code {process.ExitCode}: {errors.Result.Trim()}";
    }

    // Lines of 4..15 words drawn from a fixed vocabulary of made-up words, the frequent ones far
    // more often (rank ~ u^3), as in prose; the same bytes on every machine and .NET version.
    private static void Generate(string path)
    {
        var words = new byte[Vocabulary][];
        for (var i = 0; i < words.Length; i++)
        {
            var (high, low) = RecordRandom.Of(seed: 17, i);
            var word = new byte[2 + (int)(low % 9)];
            for (var j = 0; j < word.Length; j++)
            {
                word[j] = (byte)('a' + ((high >> (5 * j)) % 26));
            }

            words[i] = word;
        }

        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        long index = 0;
        long written = 0;
        while (written < TargetBytes)
        {
            var (count, _) = RecordRandom.Of(seed: 18, index++);
            var lineWords = 4 + (int)(count % 12);
            for (var w = 0; w < lineWords; w++)
            {
                var u = (RecordRandom.Of(seed: 19, index++).High >> 11) * (1.0 / (1UL << 53));
                var word = words[(int)(u * u * u * Vocabulary)];
                file.Write(word);
                file.WriteByte(w == lineWords - 1 ? (byte)'\n' : (byte)' ');
                written += word.Length + 1;
            }
        }
    }
}
