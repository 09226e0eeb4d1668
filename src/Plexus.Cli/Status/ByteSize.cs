using System.Globalization;

namespace Plexus.Cli.Status;

/// <summary>Byte counts for people: 1536 → "1.5 KiB" (powers of 1024, as memory is sized).</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(double bytes)
    {
        int unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString("0", CultureInfo.InvariantCulture) + " B"
            : bytes.ToString("0.#", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
