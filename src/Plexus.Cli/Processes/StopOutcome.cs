namespace Plexus.Cli.Processes;

/// <summary>How a node was stopped: on its own after SIGTERM, or killed (with how many processes below it).</summary>
internal readonly record struct StopOutcome(bool Killed, int KilledDescendants);
