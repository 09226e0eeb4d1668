using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Plexus.Control.Service;

/// <summary>
/// How many calls the control service has served, by method name. Counted by the gRPC server as
/// it admits a call (the in-process client of an embedded cluster is not counted), and read
/// through <c>ListNodes</c>, so what a cluster asks of its head can be measured from outside.
/// </summary>
internal sealed class ControlCallCounts
{
    // Calls served per method name; a method appears on its first call. Boxed counters, so a call
    // increments without replacing the entry.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _calls = new(StringComparer.Ordinal);

    /// <summary>Counts one call of <paramref name="method"/>.</summary>
    public void Count(string method) => Interlocked.Increment(ref _calls.GetOrAdd(method, static _ => new StrongBox<long>()).Value);

    /// <summary>The counts now, by method name.</summary>
    public Dictionary<string, ulong> Snapshot() =>
        _calls.ToDictionary(c => c.Key, c => (ulong)Interlocked.Read(ref c.Value.Value), StringComparer.Ordinal);
}
