using System.Security.Cryptography;

namespace Plexus.Control.Submissions;

/// <summary>Names of submitted jobs: <c>sub-</c> and 16 lower-case hex digits, short enough to type in <c>plexus logs</c>.</summary>
internal static class SubmissionIds
{
    /// <summary>The environment variable a submitted driver finds its submission id in: its runtime links the job it registers to it.</summary>
    public const string Variable = "PLEXUS_SUBMISSION_ID";

    private const string Prefix = "sub-";
    private const int HexDigits = 16;

    /// <summary>A new random id.</summary>
    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexDigits / 2));

    /// <summary>Whether <paramref name="text"/> is an id of this shape (safe as a file name and a store key).</summary>
    public static bool IsValid(string? text) =>
        text is not null
        && text.Length == Prefix.Length + HexDigits
        && text.StartsWith(Prefix, StringComparison.Ordinal)
        && text.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;
}
