using System.Diagnostics;
using System.Globalization;

namespace Plexus.Samples.Sort;

/// <summary>
/// One run of the sample: generate (or take) the input and its checksum, sort it on Plexus, check
/// the output's order and checksum against the input's, and print a summary. The exit code is 0
/// when the output is valid, 1 when the sort failed or its output is wrong, 130 when cancelled.
/// </summary>
internal static class SortRun
{
    public static async Task<int> RunAsync(SortSettings settings, CancellationToken cancellationToken)
    {
        // Generated input and unnamed output live here; removed at the end unless --keep.
        var temporary = Path.Combine(Path.GetTempPath(), $"plexus-sort-{Guid.NewGuid():N}");
        var input = settings.InputDirectory ?? Path.Combine(temporary, "input");
        var output = settings.OutputDirectory ?? Path.Combine(temporary, "output");
        try
        {
            var clock = Stopwatch.StartNew();
            RecordChecksum expected;
            if (settings.InputDirectory is null)
            {
                Console.WriteLine($"Generating {DataSize.Format(settings.Records * GensortRecord.Size)} ({Format(settings.Records)} records, seed {settings.Seed}) into {input}");
                expected = await Task.Run(() => GensortFiles.Write(input, settings.Records, SortSettings.GeneratedFileBytes, settings.Seed, cancellationToken), cancellationToken);
            }
            else
            {
                Console.WriteLine($"Reading the checksum of {input}");
                expected = await Task.Run(() => SortValidator.ValidateFiles(GensortFiles.List(input), cancellationToken).Checksum, cancellationToken);
            }

            var prepared = clock.Elapsed;
            clock.Restart();
            await using var plexus = await PlexusRuntime.StartAsync(new PlexusOptions(), cancellationToken: cancellationToken);
            var started = clock.Elapsed;
            var bytes = expected.Records * GensortRecord.Size;
            Console.WriteLine($"Sorting {DataSize.Format(bytes)} on {plexus.WorkerProcessIds.Count} workers into {output}");
            clock.Restart();
            await SortStep.RunAsync(plexus, input, output, cancellationToken);
            var sorted = clock.Elapsed;

            Console.WriteLine("Validating the output");
            clock.Restart();
            var outputFiles = GensortFiles.List(output);
            var validation = await Task.Run(() => SortValidator.ValidateFiles(outputFiles, cancellationToken), cancellationToken);
            var validated = clock.Elapsed;

            var valid = validation.IsSorted && validation.Checksum == expected;
            Console.WriteLine();
            Console.WriteLine($"Records:        {Format(validation.Checksum.Records)} ({DataSize.Format(validation.Checksum.Records * GensortRecord.Size)}) in {Format(outputFiles.Count)} file(s)");
            Console.WriteLine($"Duplicate keys: {Format(validation.DuplicateKeys)}");
            Console.WriteLine(validation.FirstUnorderedRecord is { } unordered
                ? $"Order:          NOT SORTED: record {Format(unordered)} has a smaller key than the record before it"
                : "Order:          sorted");
            Console.WriteLine(validation.Checksum == expected
                ? $"Checksum:       same as the input's ({expected})"
                : $"Checksum:       DIFFERS: input {expected}; output {validation.Checksum}");
            Console.WriteLine($"{(settings.InputDirectory is null ? "Generated" : "Read input")}:      {Seconds(prepared)} s");
            Console.WriteLine($"Sorted:         {Seconds(sorted)} s, {(bytes / sorted.TotalSeconds / 1e9).ToString("F3", CultureInfo.InvariantCulture)} GB/s, after {Seconds(started)} s starting the cluster");
            Console.WriteLine($"Validated:      {Seconds(validated)} s");
            if (!valid)
            {
                await Console.Error.WriteLineAsync("Sort: the output is not a sorted copy of the input (see above).");
            }

            return valid ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Sort: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is Plexus.Data.DataExecutionException or TaskFailedException or WorkerCrashedException or ObjectLostException or ObjectStoreFullException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Sort: failed: {e.Message}");
            return 1;
        }
        finally
        {
            if (!settings.Keep)
            {
                DeleteIfPresent(temporary);
            }
            else if (Directory.Exists(temporary))
            {
                Console.WriteLine($"Kept:           {temporary}");
            }
        }
    }

    private static void DeleteIfPresent(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
}
