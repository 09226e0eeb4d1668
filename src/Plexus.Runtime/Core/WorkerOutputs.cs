using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>What the workers of a driver's job print, shown on the driver's console, each line prefixed with where it came from.</summary>
internal static class WorkerOutputs
{
    public static void Write(WorkerOutput output)
    {
        var writer = output.Error ? Console.Error : Console.Out;
        var prefix = $"(worker pid={output.Pid}, node={output.Source.Node:x16})";
        foreach (var line in output.Lines)
        {
            writer.WriteLine($"{prefix} {line}");
        }
    }
}
