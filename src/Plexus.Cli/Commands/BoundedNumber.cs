using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Plexus.Cli.Commands;

/// <summary>
/// Parses a number flag and checks its range in one step, so a value that is not a number and one
/// out of range are both parse errors with the flag's name (a validator alone would run on a value
/// that did not convert, and reading it there throws).
/// </summary>
internal static class BoundedNumber
{
    public static T Parse<T>(ArgumentResult result, string flag, T least, T most, string requirement)
        where T : struct, INumber<T>
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= least && value <= most)
        {
            return value;
        }

        result.AddError($"{flag} must be {requirement}, got '{text}'.");
        return default;
    }
}
