using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// The node asks one of its runtimes (the header's target) what its reference table holds, for
/// the state API's object listing and memory report; answered by <see cref="ReferencesSummarized"/>.
/// Sent only when someone asks for a listing that includes the objects owners hold.
/// </summary>
[MemoryPackable]
internal sealed partial class SummarizeReferences : Message
{
    /// <summary>The most entries a summary lists (its largest): what bounds an answer's size.</summary>
    public const int MaxLargest = 10_000;

    /// <summary>How many of its largest entries to list, 0..<see cref="MaxLargest"/>.</summary>
    public required int Largest { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Largest is < 0 or > MaxLargest)
        {
            throw new ProtocolViolationException($"SummarizeReferences.Largest must be between 0 and {MaxLargest}; it is {Largest}");
        }
    }
}

/// <summary>A runtime's answer to <see cref="SummarizeReferences"/>, to its node.</summary>
[MemoryPackable]
internal sealed partial class ReferencesSummarized : Message, IReply
{
    public required ReferenceSummary Summary { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Summary, "ReferencesSummarized.Summary");
        Summary.Validate();
    }
}
