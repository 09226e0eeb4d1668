using System.CommandLine;
using Plexus.Cli.Commands;

namespace Plexus.Cli.State;

/// <summary>
/// The flags of the commands that read the cluster's state (<c>list</c>, <c>summary</c>,
/// <c>timeline</c>), each checked while parsing so a bad value is a usage error (exit code 2).
/// </summary>
internal static class StateFlags
{
    /// <summary>The most a page may hold, as the control service allows.</summary>
    public const int MaxLimit = 10_000;

    /// <summary><c>--all</c>: also the objects processes hold in their own memory (<c>includeHeld</c> of <see cref="Plexus.Control.ClusterState"/>).</summary>
    public static Option<bool> IncludeHeld() => new("--all")
    {
        Description = "Also the objects drivers and workers hold in their own memory (values of 100 KiB or less, pending results, borrowed refs), " +
            "asked of every process now: takes up to a few seconds.",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document (camelCase names) instead of a table." };

    public static Option<string?> Address() =>
        SharedOptions.Address("The head's control address. Default: PLEXUS_ADDRESS, else the node started on this machine.");

    public static Option<FileInfo?> TokenFile() =>
        SharedOptions.TokenFile("The file holding the cluster token. Default: PLEXUS_TOKEN, else this machine's head's token file.");

    /// <summary><c>--job J</c>: a job id, 32 hex digits as <c>plexus list jobs</c> shows it.</summary>
    public static Option<string?> Job(string description) => HexId("--job", 16, "J", description);

    /// <summary><c>--node N</c>: a node id, 16 hex digits as <c>plexus status</c> shows it.</summary>
    public static Option<string?> Node(string description) => HexId("--node", 8, "N", description);

    public static Option<int> Limit() => new("--limit")
    {
        Description = $"At most this many rows (1 to {MaxLimit}). Default: 100.",
        HelpName = "N",
        DefaultValueFactory = _ => 100,
        CustomParser = result => BoundedNumber.Parse(result, "--limit", 1, MaxLimit, $"a number from 1 to {MaxLimit}"),
    };

    /// <summary><c>--state S</c>, one of <paramref name="states"/> in any case, with or without underscores.</summary>
    public static Option<string?> State(IReadOnlyList<string> states) => new("--state")
    {
        Description = $"Only rows in this state: {string.Join(", ", states)}.",
        HelpName = "S",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (states.FirstOrDefault(s => Normalize(s) == Normalize(text)) is { } state)
            {
                return state;
            }

            result.AddError($"--state must be one of {string.Join(", ", states)}, got '{text}'.");
            return null;
        },
    };

    private static string Normalize(string state) => state.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    private static Option<string?> HexId(string flag, int bytes, string helpName, string description) => new(flag)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (text.Length == bytes * 2 && text.All(Uri.IsHexDigit))
            {
                return text.ToLowerInvariant();
            }

            result.AddError($"{flag} must be an id of {bytes * 2} hex digits, got '{text}'.");
            return null;
        },
    };
}
