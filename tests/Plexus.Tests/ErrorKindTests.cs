using MemoryPack;
using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>Errors cross processes as a kind, and each kind becomes its own exception type on the awaiter.</summary>
public sealed class ErrorKindTests
{
    private const string WhatHappened = "what happened, and what to do";

    // The exception type a user catches for each kind: the contract this class checks.
    private static readonly Dictionary<ErrorKind, Type> ExceptionOfKind = new()
    {
        [ErrorKind.TaskFailed] = typeof(TaskFailedException),
        [ErrorKind.WorkerCrashed] = typeof(WorkerCrashedException),
        [ErrorKind.FunctionUnavailable] = typeof(FunctionUnavailableException),
        [ErrorKind.ValueSerialization] = typeof(ValueSerializationException),
        [ErrorKind.StoreFull] = typeof(ObjectStoreFullException),
        [ErrorKind.ObjectLost] = typeof(ObjectLostException),
        [ErrorKind.ShutDown] = typeof(ObjectDisposedException),
        [ErrorKind.ActorDied] = typeof(ActorDiedException),
        [ErrorKind.OwnerDied] = typeof(OwnerDiedException),
        [ErrorKind.ActorNameTaken] = typeof(ActorNameTakenException),
        [ErrorKind.ActorNotFound] = typeof(ActorNotFoundException),
        [ErrorKind.NodeUnavailable] = typeof(NodeUnavailableException),
        [ErrorKind.TaskCancelled] = typeof(TaskCancelledException),
        [ErrorKind.ObjectUnreachable] = typeof(Core.Recovery.ObjectUnreachableException), // readers turn it into recovery; an ObjectLostException if it ever surfaces
        [ErrorKind.ObjectReconstructionFailed] = typeof(ObjectReconstructionFailedException),
        [ErrorKind.LineageEvicted] = typeof(LineageEvictedException),
        [ErrorKind.ReconstructionAttemptsExceeded] = typeof(ReconstructionAttemptsExceededException),
        [ErrorKind.ObjectAccessDenied] = typeof(ObjectAccessDeniedException),
        [ErrorKind.ActorAccessDenied] = typeof(ActorAccessDeniedException),
    };

    [Fact]
    public void EveryErrorKindBecomesItsOwnExceptionTypeWithItsMessageAfterCrossingTheWire()
    {
        Assert.Equal(Enum.GetValues<ErrorKind>().Order(), ExceptionOfKind.Keys.Order());
        foreach (var (kind, expected) in ExceptionOfKind)
        {
            var sent = kind == ErrorKind.TaskFailed
                ? Errors.FromException(new InvalidOperationException(WhatHappened), "task")
                : ErrorInfo.Of(kind, WhatHappened);

            var thrown = Errors.ToException(AcrossTheWire(sent));

            Assert.True(thrown.GetType() == expected, $"{kind} became {thrown.GetType().FullName}, not {expected.FullName}.");
            Assert.Equal(WhatHappened, thrown is TaskFailedException failed ? failed.RemoteMessage : thrown.Message);
        }
    }

    [Fact]
    public void AUserExceptionTravelsWithItsOwnTypeNameAndComesBackCatchableByType()
    {
        var sent = Errors.FromException(new InvalidOperationException("boom"), "withdraw");

        var failed = Assert.IsType<TaskFailedException>(Errors.ToException(AcrossTheWire(sent)));

        Assert.Equal(ErrorKind.TaskFailed, sent.Kind);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.RemoteType);
        Assert.Equal("withdraw", failed.TaskName);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(failed.InnerException).Message);
    }

    [Fact]
    public void FailuresTheWorkerItselfRaisesKeepTheirKindAndType()
    {
        Exception[] raised =
        [
            new FunctionUnavailableException(WhatHappened),
            new ValueSerializationException(WhatHappened),
            new ObjectStoreFullException(WhatHappened),
            new TaskCancelledException(WhatHappened),
        ];

        foreach (var exception in raised)
        {
            var back = Errors.ToException(AcrossTheWire(Errors.FromException(exception, "task")));

            Assert.IsType(exception.GetType(), back);
            Assert.Equal(WhatHappened, back.Message);
        }
    }

    [Fact]
    public void AnObjectLossReasonAndAnActorDeathCauseCrossTheWireWithTheirKind()
    {
        var lost = Errors.ToException(AcrossTheWire(ErrorInfo.Of(ErrorKind.ObjectReconstructionFailed, WhatHappened) with
        {
            Cause = (byte)ObjectLossReason.PutLost,
        }));
        var died = Errors.ToException(AcrossTheWire(ErrorInfo.Of(ErrorKind.ActorDied, WhatHappened) with
        {
            Cause = (byte)ActorDeathCause.RestartsExhausted,
        }));

        Assert.Equal(ObjectLossReason.PutLost, Assert.IsType<ObjectReconstructionFailedException>(lost).Reason);
        Assert.Equal(ActorDeathCause.RestartsExhausted, Assert.IsType<ActorDiedException>(died).Cause);
        Assert.Equal(ObjectLossReason.LineageEvicted, Assert.IsType<LineageEvictedException>(Errors.ToException(ErrorInfo.Of(ErrorKind.LineageEvicted, WhatHappened))).Reason);
        Assert.Equal(ObjectLossReason.OwnerDied, Assert.IsType<OwnerDiedException>(Errors.ToException(ErrorInfo.Of(ErrorKind.OwnerDied, WhatHappened))).Reason);
    }

    [Fact]
    public void AnErrorOfAKindFromANewerPeerBecomesARemoteErrorWithItsMessage()
    {
        const ErrorKind unknown = (ErrorKind)200;
        Assert.False(Enum.IsDefined(unknown));

        var thrown = Errors.ToException(AcrossTheWire(ErrorInfo.Of(unknown, WhatHappened)));

        var remote = Assert.IsType<RemoteErrorException>(thrown);
        Assert.Contains(WhatHappened, remote.Message, StringComparison.Ordinal);
        Assert.Contains("200", remote.Message, StringComparison.Ordinal);
    }

    private static ErrorInfo AcrossTheWire(ErrorInfo error)
    {
        var id = ObjectId.ForPut(TaskId.Root(new JobId(1, 2)), 1);
        var received = MemoryPackSerializer.Deserialize<ObjectValue>(MemoryPackSerializer.Serialize(ObjectValue.FailedValue(id, error)));
        return received!.Error!;
    }
}
