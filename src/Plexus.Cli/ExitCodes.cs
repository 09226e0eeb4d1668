namespace Plexus.Cli;

/// <summary>What the <c>plexus</c> tool's exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (also: <c>stop</c> found nothing to stop).</summary>
    public const int Success = 0;

    /// <summary>The command was well formed but failed: a node did not start, the head is unreachable.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: an unknown flag, a bad value, a missing token. Nothing was done.</summary>
    public const int Usage = 2;
}
