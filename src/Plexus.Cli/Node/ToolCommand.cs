using System.Reflection;

namespace Plexus.Cli.Node;

/// <summary>How to start this tool again as another process (a background node, the head's control service).</summary>
internal static class ToolCommand
{
    /// <summary>
    /// The program and first arguments that run this tool: its apphost (installed tool, <c>dotnet run</c>),
    /// or <c>dotnet Plexus.Cli.dll</c>; and when another program hosts the tool's code (a test host),
    /// <c>Plexus.Cli.dll</c> on the runtime running this process.
    /// </summary>
    /// <exception cref="InvalidOperationException">The path of this process is unknown.</exception>
    public static IReadOnlyList<string> Parts()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException(
            "The path of this process is unknown, so the tool cannot start itself again. Run the node in the foreground with --block.");
        bool onDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
        string assembly = typeof(Program).Assembly.Location;
        if (Assembly.GetEntryAssembly() == typeof(Program).Assembly)
        {
            return onDotnet ? [host, assembly] : [host];
        }

        return [onDotnet ? host : "dotnet", assembly];
    }
}
