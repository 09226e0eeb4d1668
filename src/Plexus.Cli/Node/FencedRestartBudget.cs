namespace Plexus.Cli.Node;

/// <summary>
/// How often a foreground node may start a new node in place of one the cluster fenced (declared
/// dead): a few times in a window, so a node that keeps losing the head (a flapping link, a
/// machine too loaded to heartbeat) ends with a failure an operator sees instead of restarting for ever.
/// </summary>
internal sealed class FencedRestartBudget(int limit, TimeSpan window, TimeProvider time)
{
    /// <summary>The budget <c>plexus start</c> runs with: 5 restarts in 5 minutes.</summary>
    public static FencedRestartBudget Default(TimeProvider time) => new(5, TimeSpan.FromMinutes(5), time);

    // Timestamps (TimeProvider) of the restarts granted within the window, oldest first.
    private readonly Queue<long> _granted = new();

    public int Limit => limit;

    public TimeSpan Window => window;

    /// <summary>Grants a restart now, or refuses it (false) when <see cref="Limit"/> were granted within <see cref="Window"/>.</summary>
    public bool TryRestart()
    {
        long now = time.GetTimestamp();
        while (_granted.Count > 0 && time.GetElapsedTime(_granted.Peek(), now) >= window)
        {
            _granted.Dequeue();
        }

        if (_granted.Count >= limit)
        {
            return false;
        }

        _granted.Enqueue(now);
        return true;
    }
}
