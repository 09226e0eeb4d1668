namespace Plexus.Samples.WordCount;

/// <summary>The command line was wrong: the message says how. The program exits with code 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);

/// <summary>
/// <c>WordCount [PATH] [--output FILE]</c>: PATH is a file or a folder (read recursively); without
/// it a corpus is generated. <c>--output</c> writes every word and its count, sorted by word.
/// </summary>
internal sealed record CommandLine(string? InputPath, string? OutputPath, bool ShowHelp)
{
    public const string Usage =
        """
        Usage: WordCount [PATH] [--output FILE]

          PATH           a text file, or a folder whose files (recursively) are counted together;
                         without it, a ~40 MB corpus is generated into a temporary file
          --output FILE  write every word and its count as 'word<TAB>count' lines, sorted by word
          -h, --help     show this help
        """;

    /// <summary>Parses and checks the arguments; throws <see cref="CommandLineException"/> saying what is wrong.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? input = null;
        string? output = null;
        var positionalOnly = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!positionalOnly && arg is "-h" or "--help")
            {
                return new CommandLine(null, null, ShowHelp: true);
            }

            if (!positionalOnly && arg == "--")
            {
                positionalOnly = true;
            }
            else if (!positionalOnly && arg == "--output")
            {
                if (i + 1 >= args.Count || args[i + 1].Length == 0 || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new CommandLineException("--output needs a file path: --output FILE.");
                }

                output = args[++i];
            }
            else if (!positionalOnly && arg.StartsWith('-') && arg.Length > 1)
            {
                throw new CommandLineException($"unknown option '{arg}'.");
            }
            else if (input is null)
            {
                input = arg;
            }
            else
            {
                throw new CommandLineException($"only one input PATH is allowed; got '{input}' and '{arg}'.");
            }
        }

        if (input is not null && !File.Exists(input) && !Directory.Exists(input))
        {
            throw new CommandLineException($"input path '{input}' does not exist (expected a file or a folder).");
        }

        if (output is not null)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(output));
            if (Directory.Exists(output) || (folder is not null && !Directory.Exists(folder)))
            {
                throw new CommandLineException($"cannot write the output to '{output}': it is a folder, or its folder does not exist.");
            }
        }

        return new CommandLine(input, output, ShowHelp: false);
    }
}
