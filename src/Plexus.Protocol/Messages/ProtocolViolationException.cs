using System.Diagnostics.CodeAnalysis;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A peer sent a message that decodes but breaks the protocol (a missing field, a header that
/// speaks for another process, a message it may not send). The receiver closes that peer's
/// connection only; the peer has a bug or is hostile, and should be fixed or restarted.
/// </summary>
internal sealed class ProtocolViolationException(string message) : Exception(message)
{
    /// <summary>Throws unless <paramref name="value"/> is set; <paramref name="field"/> names it in the message.</summary>
    public static void ThrowIfNull([NotNull] object? value, string field)
    {
        if (value is null)
        {
            throw new ProtocolViolationException($"{field} is missing");
        }
    }
}
