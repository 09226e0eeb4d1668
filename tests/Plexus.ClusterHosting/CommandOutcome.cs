namespace Plexus.ClusterHosting;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record CommandOutcome(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
