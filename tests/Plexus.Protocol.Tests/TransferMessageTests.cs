using System.Buffers;
using Plexus.Protocol.Messages;

namespace Plexus.Protocol.Tests;

/// <summary>Each message of the object transfer between nodes refuses a missing or negative field.</summary>
public sealed class TransferMessageTests
{
    private static readonly ObjectId Id = new(TaskId.Root(JobId.NewRandom()).Child(3), 1);
    private static readonly ProcessAddress Owner = new(0xA11CE, 2);
    private static readonly ReadOnlySequence<byte> OneByte = new([1]);

    // Each case: the field named in the refusal, and a message whose field is missing or negative.
    private static readonly (string Field, Message Message)[] RefusedCases =
    [
        ("PullObject.Object", new PullObject { Object = default }),
        ("PullStarted.Object", new PullStarted { Object = default, Size = 1, Format = ValueFormat.RawArray, Owner = Owner }),
        ("PullStarted.Size", new PullStarted { Object = Id, Size = -1, Format = ValueFormat.RawArray, Owner = Owner }),
        ("PullStarted.Format", new PullStarted { Object = Id, Size = 1, Format = default, Owner = Owner }),
        ("PullStarted.Owner", new PullStarted { Object = Id, Size = 1, Format = ValueFormat.RawArray, Owner = default }),
        ("PullRefused.Object", new PullRefused { Object = default, Reason = "freed" }),
        ("PullRefused.Reason", new PullRefused { Object = Id, Reason = null! }),
        ("PullRedirect.Object", new PullRedirect { Object = default, Node = 7 }),
        ("PullRedirect.Node", new PullRedirect { Object = Id, Node = 0 }),
        ("ReadChunk.Object", new ReadChunk { Object = default, Offset = 0, Length = 1 }),
        ("ReadChunk.Offset", new ReadChunk { Object = Id, Offset = -1, Length = 1 }),
        ("ReadChunk.Length", new ReadChunk { Object = Id, Offset = 0, Length = 0 }),
        ("ObjectChunk.Object", new ObjectChunk { Object = default, Offset = 0, Payload = OneByte }),
        ("ObjectChunk.Offset", new ObjectChunk { Object = Id, Offset = -1, Payload = OneByte }),
        ("ObjectChunk.Payload", new ObjectChunk { Object = Id, Offset = 0 }),
        ("PullDone.Object", new PullDone { Object = default, Complete = true }),
        ("DropCopies.Objects", new DropCopies { Objects = null! }),
        ("DropCopies.Objects", new DropCopies { Objects = [] }),
        ("DropCopies.Objects[]", new DropCopies { Objects = [Id, default] }),
        ("CopyDropped.Object", new CopyDropped { Object = default }),
    ];

    private static readonly Message[] AcceptedCases =
    [
        new PullObject { Object = Id, NoRedirect = true },
        new PullStarted { Object = Id, Size = 0, Format = ValueFormat.MessagePack, Owner = Owner },
        new PullRefused { Object = Id, Reason = "freed" },
        new PullRedirect { Object = Id, Node = 7 },
        new ReadChunk { Object = Id, Offset = 0, Length = 1 },
        new ObjectChunk { Object = Id, Offset = 0, Payload = OneByte },
        new PullDone { Object = Id, Complete = false },
        new DropCopies { Objects = [Id] },
        new CopyDropped { Object = Id },
    ];

    // The cases by number: the messages are internal, so a public theory cannot take them as data.
    public static TheoryData<int> Refused => [.. Enumerable.Range(0, RefusedCases.Length)];

    public static TheoryData<int> Accepted => [.. Enumerable.Range(0, AcceptedCases.Length)];

    [Theory]
    [MemberData(nameof(Refused))]
    public void AMissingOrNegativeFieldFailsValidationNamingIt(int index)
    {
        var (field, message) = RefusedCases[index];

        var violation = Assert.Throws<ProtocolViolationException>(message.Validate);

        Assert.Contains(field, violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AMessageWithEveryFieldItsReceiverReliesOnPassesValidation(int index) => AcceptedCases[index].Validate();
}
