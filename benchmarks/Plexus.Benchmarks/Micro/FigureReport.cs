using System.Text;
using System.Text.Json;

namespace Plexus.Benchmarks.Micro;

/// <summary>
/// The suite's result: one flat JSON object of name → number. Figures first, then the limits
/// measured in the same run, then <c>NAME_ratio</c> = figure / its limit, because absolute figures
/// swing ±30% between runs on this kind of machine while ratios move less.
/// </summary>
internal sealed class FigureReport
{
    public const string RoundTripLimit = "limit_round_trip_per_second";
    public const string MemcpyLimit = "limit_memcpy_gigabytes";
    public const string FileWriteLimit = "limit_file_write_gigabytes";
    public const string FileReadLimit = "limit_file_read_gigabytes";
    public const string DiskSyncedWriteLimit = "limit_disk_synced_write_gigabytes";
    public const string DiskColdReadLimit = "limit_disk_cold_read_gigabytes";

    // Figures in the order they ran, each with the limit it is compared against.
    private readonly List<(string Name, double Value, string? Limit)> _figures = [];
    // Limits by name, in the order they ran.
    private readonly List<(string Name, double Value)> _limits = [];

    public void AddLimit(string name, double value) => _limits.Add((name, value));

    /// <summary>Adds a figure; gigabyte figures are compared with memcpy, the rest with round trips.</summary>
    public void AddFigure(string name, double value) =>
        _figures.Add((name, value, name.EndsWith("_gigabytes", StringComparison.Ordinal) ? MemcpyLimit : RoundTripLimit));

    /// <summary>Adds a figure compared with the named limit.</summary>
    public void AddFigure(string name, double value, string limit) => _figures.Add((name, value, limit));

    /// <summary>Adds a figure that no measured limit bounds (a latency in seconds): no ratio.</summary>
    public void AddUncomparedFigure(string name, double value) => _figures.Add((name, value, null));

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (name, value, _) in _figures)
            {
                writer.WriteNumber(name, Round(value));
            }

            foreach (var (name, value) in _limits)
            {
                writer.WriteNumber(name, Round(value));
            }

            foreach (var (name, value, limitName) in _figures)
            {
                var limit = _limits.Find(l => l.Name == limitName);
                if (limit.Name is not null && limit.Value > 0)
                {
                    writer.WriteNumber(name + "_ratio", Math.Round(value / limit.Value, 4));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // Three decimals for small numbers (GB/s), whole units for rates in the thousands.
    private static double Round(double value) => Math.Round(value, Math.Abs(value) >= 1_000 ? 0 : 3);
}
