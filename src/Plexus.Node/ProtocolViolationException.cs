using System.Diagnostics.CodeAnalysis;

namespace Plexus.Node;

/// <summary>A runtime sent a message that decodes but breaks the protocol; its connection is closed.</summary>
internal sealed class ProtocolViolationException(string message) : Exception(message)
{
    public static void ThrowIfNull([NotNull] object? value, string field)
    {
        if (value is null)
        {
            throw new ProtocolViolationException($"{field} is missing");
        }
    }
}
