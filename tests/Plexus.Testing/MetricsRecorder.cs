using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Plexus.Testing;

/// <summary>
/// Listens to the instruments of the meters named <c>meterName</c> and keeps what they measure for
/// one <c>node</c> label only (tests run several nodes in one process, each with a meter of that
/// name): the last value of each observable instrument per label set, and every value a histogram
/// or counter recorded. Labels other than <c>node</c> name a series, as <c>state=queued</c>.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _node;
    // Instruments published so far, by name.
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new();
    // The last value each observable series gave at a collection: "name{label=value,...}" → value.
    private readonly ConcurrentDictionary<string, double> _observed = new();
    // Every value recorded by a synchronous instrument (histogram, counter), by instrument name.
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _recorded = new();

    /// <summary>Starts listening to the meters named <paramref name="meterName"/>, keeping the measurements whose <c>node</c> label is <paramref name="node"/>.</summary>
    public MetricsRecorder(string meterName, string node)
    {
        _node = node;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Whether an instrument of that name was published by a meter listened to (of any node).</summary>
    public bool Published(string instrument) => _instruments.ContainsKey(instrument);

    /// <summary>
    /// Collects every observable instrument now and returns the value of one series of this node
    /// (<paramref name="labels"/> as <c>"state=queued"</c>); null when the node measured none.
    /// </summary>
    public double? Read(string instrument, params string[] labels)
    {
        _listener.RecordObservableInstruments();
        return _observed.TryGetValue(Series(instrument, labels), out var value) ? value : null;
    }

    /// <summary>The values this node's synchronous instrument <paramref name="instrument"/> recorded so far.</summary>
    public IReadOnlyList<double> Recorded(string instrument) =>
        _recorded.TryGetValue(instrument, out var values) ? [.. values] : [];

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<string>();
        var ours = false;
        foreach (var (key, tag) in tags)
        {
            if (key == "node")
            {
                ours = Equals(tag, _node);
            }
            else
            {
                labels.Add($"{key}={tag}");
            }
        }

        if (!ours)
        {
            return;
        }

        if (instrument.IsObservable)
        {
            _observed[Series(instrument.Name, [.. labels])] = value;
        }
        else
        {
            _recorded.GetOrAdd(instrument.Name, _ => new ConcurrentQueue<double>()).Enqueue(value);
        }
    }

    private static string Series(string instrument, string[] labels) => $"{instrument}{{{string.Join(',', labels.Order(StringComparer.Ordinal))}}}";

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
