namespace Plexus.Benchmarks.Micro;

/// <summary>Told where a figure's measured window begins and ends (<see cref="Measure.Window"/>).</summary>
internal interface IMeasuredWindow
{
    /// <summary>The figure's measured work begins now.</summary>
    void Begin();

    /// <summary>The measured work, <paramref name="units"/> units of it (tasks, calls, batches), ended now.</summary>
    void End(long units);
}
