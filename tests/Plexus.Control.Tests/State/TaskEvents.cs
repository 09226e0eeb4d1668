using System.Buffers.Binary;
using Google.Protobuf;
using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests.State;

/// <summary>Builds the events nodes report, for tests of the task table.</summary>
internal static class TaskEvents
{
    public static readonly JobId JobA = new(0xA, 1);
    public static readonly JobId JobB = new(0xB, 2);

    public static TaskKey Task(JobId job, ulong path) => new(job, path);

    public static Proto.TaskEvent Event(TaskKey task, Proto.TaskEventKind kind, long micros, string name = "", int attempt = 0) => new()
    {
        TaskId = task.ToBytes(),
        Kind = kind,
        UnixMicros = micros,
        Name = name,
        Attempt = attempt,
    };

    public static Proto.TaskEvent Failed(TaskKey task, long micros, string type, string message, int attempt = 0)
    {
        var e = Event(task, Proto.TaskEventKind.EventFailed, micros, attempt: attempt);
        e.ErrorType = type;
        e.ErrorMessage = message;
        return e;
    }

    /// <summary>A task's whole life on one node: submitted, queued, dispatched, started, finished, 10 µs apart from <paramref name="micros"/>.</summary>
    public static IEnumerable<Proto.TaskEvent> Life(TaskKey task, long micros, string name) =>
    [
        Event(task, Proto.TaskEventKind.EventSubmitted, micros, name),
        Event(task, Proto.TaskEventKind.EventQueued, micros + 10, name),
        Event(task, Proto.TaskEventKind.EventDispatched, micros + 20, name),
        Event(task, Proto.TaskEventKind.EventStarted, micros + 30, name),
        Event(task, Proto.TaskEventKind.EventFinished, micros + 40),
    ];

    public static ByteString Job(JobId job) => JobKeys.ToBytes(job);

    public static ByteString NodeBytes(ulong node)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, node);
        return ByteString.CopyFrom(bytes);
    }
}
