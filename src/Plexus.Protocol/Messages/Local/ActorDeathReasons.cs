namespace Plexus.Protocol.Messages;

/// <summary>
/// The sentences an actor's calls fail with when it dies for good, shared by whoever decides its
/// restarts (a node alone, or the control service), so a user reads the same words either way.
/// </summary>
internal static class ActorDeathReasons
{
    /// <summary>An actor died again after using every restart it was allowed.</summary>
    /// <param name="actor">The actor's id, as it is printed.</param>
    /// <param name="className">The full name of its class.</param>
    /// <param name="restarts">The restarts it used.</param>
    /// <param name="cause">What killed its last incarnation.</param>
    public static string RestartsExhausted(string actor, string className, int restarts, ActorDeathCause cause) =>
        $"Actor {actor} ({className}) died ({Describe(cause)}) after it was restarted {restarts} times, " +
        $"all that ActorOptions.MaxRestarts allows. Create it again, or allow more restarts.";

    private static string Describe(ActorDeathCause cause) => cause switch
    {
        ActorDeathCause.WorkerDied => "its worker process died",
        ActorDeathCause.NodeDied => "its node died",
        _ => cause.ToString(),
    };
}
