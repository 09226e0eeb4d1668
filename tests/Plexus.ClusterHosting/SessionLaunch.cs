using System.Diagnostics;

namespace Plexus.ClusterHosting;

/// <summary>
/// Starts a command as the leader of a new session (<c>setsid</c>, which execs in place, so the
/// pid .NET reports is the command's): everything it starts shares the session, which is how
/// <see cref="ProcessTree"/> finds its descendants after an intermediate parent died.
/// </summary>
internal static class SessionLaunch
{
    static SessionLaunch()
    {
        // Before anything is started: the orphans of what this process starts (a killed node's
        // workers) are then adopted and reaped by it, not left as zombies (see Native).
        Native.BecomeChildSubreaper();
    }

    public static Process Start(CommandLine command, IReadOnlyDictionary<string, string>? environment, bool captureOutput)
    {
        var leader = command.RunBy("setsid");
        var start = new ProcessStartInfo(leader.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = captureOutput,
            RedirectStandardError = captureOutput,
        };
        foreach (var argument in leader.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
    }
}
