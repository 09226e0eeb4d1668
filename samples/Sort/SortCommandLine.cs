using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Plexus.Samples.Sort;

/// <summary>
/// <c>Sort [--size SIZE] [--seed N] [--input DIR] [--output DIR] [--keep]</c>: the options, their
/// checks, and the <see cref="SortSettings"/> they make. A wrong option is a parse error, which the
/// program reports with exit code 2.
/// </summary>
internal static class SortCommandLine
{
    /// <summary>The root command; its action runs <paramref name="run"/> with the settings read.</summary>
    public static RootCommand Create(Func<SortSettings, CancellationToken, Task<int>> run)
    {
        // No default values here: the defaults are applied when the settings are made, so that
        // the checks can tell a size or seed given from one not given.
        var size = new Option<long?>("--size")
        {
            Description = "How much to generate and sort, e.g. 256MiB, 1GiB, 2GB [default: 1GiB].",
            HelpName = "SIZE",
            CustomParser = ParseSize,
        };
        var seed = new Option<ulong?>("--seed")
        {
            Description = "Which data set to generate: the same seed makes the same records [default: 1].",
            HelpName = "N",
            CustomParser = ParseSeed,
        };
        var input = new Option<string?>("--input")
        {
            Description = "Sort the gensort files of this folder instead of generated ones (a cluster's nodes must see the same path).",
            HelpName = "DIR",
        };
        var output = new Option<string?>("--output")
        {
            Description = "Write the sorted files into this folder, which must be new or empty (it is kept) [default: a temporary folder].",
            HelpName = "DIR",
        };
        var keep = new Option<bool>("--keep")
        {
            Description = "Keep the generated input and the temporary output, and print where they are.",
        };

        var root = new RootCommand(
            "Generates gensort records (or reads --input), sorts them by key with Plexus.Data, checks the output as valsort does, and prints a summary. "
            + "Runs on an embedded local cluster, or on the cluster named by PLEXUS_ADDRESS.")
        {
            size, seed, input, output, keep,
        };
        root.Validators.Add(result => Check(result, size, seed, input, output));
        root.SetAction((parsed, cancellationToken) => run(
            new SortSettings(
                parsed.GetValue(size) ?? SortSettings.DefaultBytes,
                parsed.GetValue(seed) ?? SortSettings.DefaultSeed,
                parsed.GetValue(input),
                parsed.GetValue(output),
                parsed.GetValue(keep)),
            cancellationToken));
        return root;
    }

    private static void Check(CommandResult result, Option<long?> size, Option<ulong?> seed, Option<string?> input, Option<string?> output)
    {
        if (result.GetValue(input) is { } inputDirectory)
        {
            if (result.GetResult(size) is not null || result.GetResult(seed) is not null)
            {
                result.AddError("--size and --seed say what to generate; they cannot be given with --input, which is sorted as it is.");
            }

            if (!Directory.Exists(inputDirectory))
            {
                result.AddError($"--input: the folder '{inputDirectory}' does not exist.");
            }
            else if (GensortFiles.List(inputDirectory).Count == 0)
            {
                result.AddError($"--input: the folder '{inputDirectory}' has no data files (names starting with '_' or '.' are not read).");
            }
        }

        if (result.GetValue(output) is { } outputDirectory
            && (File.Exists(outputDirectory) || (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any())))
        {
            result.AddError($"--output: '{outputDirectory}' is a file or a folder that is not empty; give a new or empty folder.");
        }
    }

    private static long? ParseSize(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DataSize.TryParse(text, out var bytes) && bytes >= GensortRecord.Size)
        {
            return bytes;
        }

        result.AddError($"--size must be a size of at least one {GensortRecord.Size}-byte record, such as 256MiB, 1GiB or 2GB; got '{text}'.");
        return null;
    }

    private static ulong? ParseSeed(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"--seed must be a whole number from 0 to {ulong.MaxValue}; got '{text}'.");
        return null;
    }
}
