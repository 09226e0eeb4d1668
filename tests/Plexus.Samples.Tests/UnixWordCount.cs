using System.Diagnostics;
using System.Globalization;

namespace Plexus.Samples.Tests;

/// <summary>The reference answer: the classic shell word count, run through /bin/sh.</summary>
internal static class UnixWordCount
{
    private const string Pipeline = "LC_ALL=C tr -cs 'A-Za-z' '\\n' < \"$1\" | tr 'A-Z' 'a-z' | grep -v '^$' | sort | uniq -c";

    /// <summary>Counts the words of the file at <paramref name="input"/> with tr, sort and uniq.</summary>
    public static async Task<Dictionary<string, long>> CountAsync(string input)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Pipeline);
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(input);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"The shell pipeline failed with exit code {process.ExitCode}: {await stderr}");

            // Lines look like "   1234 word".
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(fields.Length == 2, $"Unexpected line from uniq -c: '{line}'");
                counts.Add(fields[1], long.Parse(fields[0], CultureInfo.InvariantCulture));
            }

            return counts;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
