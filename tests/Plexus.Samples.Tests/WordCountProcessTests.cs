using System.Globalization;
using Plexus.Samples.WordCount;

namespace Plexus.Samples.Tests;

/// <summary>The WordCount sample run as a user runs it: a process, with its own cluster.</summary>
[Collection(PlexusRuntimeCollection.Name)]
[Slow]
public sealed class WordCountProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task CountsOfAFolderMatchTheShellPipelineExactly()
    {
        using var temp = new TempDirectory();
        var input = Path.Combine(temp.Path, "input");

        // Every file ends with a separator (or is empty), so counting the files one by one and
        // counting their concatenation, as the shell pipeline does, agree.
        await File.WriteAllTextAsync(temp.File("input/tricky.txt"),
            "Café naïve—déjà vu! It's 42 times: DON'T stop.\nx86_64, e-mail & rock'n'roll; Ελλάδα 日本語 ÉCOLE über-cool.\n");
        await File.WriteAllTextAsync(temp.File("input/windows.txt"), "Line one\r\nline TWO\r\n\tTabbed\fform\vfeed\r\n");
        await File.WriteAllBytesAsync(temp.File("input/empty.txt"), []);
        await File.WriteAllBytesAsync(temp.File("input/latin1.txt"), [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)' ', 0xFF, (byte)'A', 0x00, (byte)'b', (byte)'\n']);
        await File.WriteAllTextAsync(temp.File("input/long-word.txt"), new string('x', 10_000) + "Y and more\n");
        await CorpusGenerator.WriteAsync(temp.File("input/nested/deeper/volume-1.txt"), 5 << 20, seed: 1);
        await CorpusGenerator.WriteAsync(temp.File("input/nested/volume-2.txt"), 1 << 20, seed: 2);
        await CorpusGenerator.WriteAsync(temp.File("input/volume-3.txt"), 512 << 10, seed: 3);

        var all = temp.File("all.txt");
        await using (var concatenation = File.Create(all))
        {
            foreach (var file in Directory.GetFiles(input, "*", SearchOption.AllDirectories))
            {
                await using var source = File.OpenRead(file);
                await source.CopyToAsync(concatenation);
            }
        }

        var expected = await UnixWordCount.CountAsync(all);
        Assert.True(expected.Count > 10_000, $"The shell pipeline found only {expected.Count} distinct words.");
        var output = temp.File("counts.tsv");

        var outcome = await SampleProcess.RunAsync("WordCount.dll", [input, "--output", output], Deadline);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        WordCountAssert.SameCounts(expected, WordCountAssert.ReadTsv(output));
        Assert.Contains($"Words:          {expected.Values.Sum().ToString("N0", CultureInfo.InvariantCulture)}", outcome.StandardOutput);
        Assert.Contains($"Distinct words: {expected.Count.ToString("N0", CultureInfo.InvariantCulture)}", outcome.StandardOutput);
        Assert.Contains($"Bytes:          {new FileInfo(all).Length.ToString("N0", CultureInfo.InvariantCulture)} in 8 file(s)", outcome.StandardOutput);
    }

    [Theory]
    [InlineData("--frobnicate", "unknown option '--frobnicate'")]
    [InlineData("--output", "--output needs a file path")]
    [InlineData("/no/such/corpus.txt", "input path '/no/such/corpus.txt' does not exist")]
    public async Task BadCommandLineExitsWithCode2AndSaysWhy(string arg, string message)
    {
        var outcome = await SampleProcess.RunAsync("WordCount.dll", [arg], Deadline);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(message, outcome.StandardError);
        Assert.Contains("Usage: WordCount [PATH] [--output FILE]", outcome.StandardError);
    }
}
