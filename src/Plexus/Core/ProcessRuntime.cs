namespace Plexus.Core;

/// <summary>The one runtime of this process (a driver's or a worker's), which deserialized futures bind to.</summary>
internal static class ProcessRuntime
{
    // Set when a runtime starts in this process and cleared when it is disposed.
    private static CoreRuntime? _current;

    public static CoreRuntime Current =>
        _current ?? throw new InvalidOperationException("No Plexus runtime is running in this process: start one with PlexusRuntime.StartLocalAsync().");

    public static void Set(CoreRuntime? runtime) => _current = runtime;
}
