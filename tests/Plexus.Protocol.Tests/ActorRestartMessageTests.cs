using System.Buffers;
using Plexus.Protocol.Messages;

namespace Plexus.Protocol.Tests;

/// <summary>What actor restarts and checkpoints add to the protocol survives the codec.</summary>
public sealed class ActorRestartMessageTests
{
    private static readonly TaskId Actor = TaskId.Root(JobId.NewRandom()).Child(3);

    [Fact]
    public void ACheckpointAndItsAnswerSurviveTheCodec()
    {
        var saved = Assert.IsType<SaveCheckpoint>(RoundTrip(new SaveCheckpoint { RequestId = 9, Actor = Actor, Incarnation = 2, CallsApplied = 5, State = [1, 2, 3] }));
        var answer = Assert.IsType<CheckpointSaved>(RoundTrip(new CheckpointSaved { RequestId = 9, Error = "not restartable" }));

        Assert.Equal((Actor, 2L, 5L), (saved.Actor, saved.Incarnation, saved.CallsApplied));
        Assert.Equal(new byte[] { 1, 2, 3 }, saved.State);
        Assert.Equal((9L, "not restartable"), (answer.RequestId, answer.Error));
    }

    [Fact]
    public void AnIncarnationItsCheckpointAndTheRestartOptionsSurviveTheCodec()
    {
        var spec = new ActorSpec
        {
            Id = Actor,
            Owner = new ProcessAddress(1, 2),
            Constructor = new FunctionDescriptor("Shop", "Shop.Counter", ".ctor", 1),
            Args = [],
            MaxRestarts = -1,
            MaxTaskRetries = 2,
            CheckpointEvery = 5,
        };

        var host = Assert.IsType<HostActor>(RoundTrip(new HostActor { Spec = spec, Incarnation = 3, Checkpoint = [7] }));

        Assert.Equal((-1, 2, 5), (host.Spec.MaxRestarts, host.Spec.MaxTaskRetries, host.Spec.CheckpointEvery));
        Assert.Equal(3L, host.Incarnation);
        Assert.Equal(new byte[] { 7 }, host.Checkpoint);
    }

    [Fact]
    public void ACheckpointWithoutItsStateFailsValidation() =>
        Assert.Throws<ProtocolViolationException>(RoundTrip(new SaveCheckpoint { Actor = Actor, State = null! }).Validate);

    private static Message RoundTrip(Message message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageCodec.Instance.Write(buffer, message);
        return MessageCodec.Instance.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory));
    }
}
