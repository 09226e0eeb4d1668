namespace Plexus.Protocol.Framing;

/// <summary>
/// Holds back socket writes made on this thread until the scope ends, so every message a batch of
/// received frames causes leaves in one write per connection instead of one write per message.
/// </summary>
internal static class FrameBatch
{
    // Connections with frames waiting for the end of this thread's outermost scope.
    [ThreadStatic]
    private static List<IDeferredFlush>? _deferred;
    // How many scopes are open on this thread.
    [ThreadStatic]
    private static int _depth;

    /// <summary>Opens a scope; writes are sent when the outermost scope is disposed.</summary>
    public static Scope Begin()
    {
        _depth++;
        return default;
    }

    internal static bool TryDefer(IDeferredFlush connection)
    {
        if (_depth == 0)
        {
            return false;
        }

        (_deferred ??= []).Add(connection);
        return true;
    }

    /// <summary>A connection whose write can wait for the end of a batch.</summary>
    internal interface IDeferredFlush
    {
        void StartFlush();
    }

    /// <summary>An open batch; disposing the outermost one sends what it held back.</summary>
    public readonly struct Scope : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            if (--_depth > 0 || _deferred is not { Count: > 0 } deferred)
            {
                return;
            }

            foreach (var connection in deferred)
            {
                connection.StartFlush();
            }

            deferred.Clear();
        }
    }
}
