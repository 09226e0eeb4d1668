namespace Plexus.Data.Tests;

/// <summary>Keeps every progress report, synchronously (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class RecordingProgress : IProgress<DataProgress>
{
    private readonly List<DataProgress> reports = [];

    public IReadOnlyList<DataProgress> Reports
    {
        get
        {
            lock (reports)
            {
                return [.. reports];
            }
        }
    }

    public RunSummary Summary => Reports.Last(r => r.IsFinal).Summary!;

    public void Report(DataProgress value)
    {
        lock (reports)
        {
            reports.Add(value);
        }
    }
}
