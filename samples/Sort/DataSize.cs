using System.Globalization;

namespace Plexus.Samples.Sort;

/// <summary>
/// Sizes as people write them on a command line: <c>1GiB</c>, <c>256MiB</c>, <c>2GB</c>,
/// <c>1.5GiB</c> or a plain number of bytes; and byte counts printed back the same way.
/// </summary>
internal static class DataSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000),
        ("B", 1),
    ];

    /// <summary>Reads <paramref name="text"/> as a number of bytes; false when it is not a size.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var (number, factor) = (text.Trim(), 1L);
        foreach (var (suffix, unitFactor) in Units)
        {
            if (number.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                (number, factor) = (number[..^suffix.Length].TrimEnd(), unitFactor);
                break;
            }
        }

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value * factor >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)(value * factor);
        return true;
    }

    /// <summary>A byte count in the largest binary unit that keeps it at least 1: 1073741824 → "1.00 GiB".</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, factor) in Units)
        {
            if (suffix.EndsWith("iB", StringComparison.Ordinal) && bytes >= factor)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{(double)bytes / factor:F2} {suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
    }
}
