using MemoryPack;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// Runs the protocol and value codecs once on throwaway values while a process starts, so the
/// first real task does not pay for compiling them (MessagePack generates its formatters at run
/// time). Measured with samples-like code: the first task after start went from 200–260 ms to
/// 38–45 ms (`cluster_start_to_first_task_seconds` in the micro suite times start plus first task).
/// </summary>
internal static class Warmup
{
    public static void Run()
    {
        var id = ObjectId.ForReturn(TaskId.Root(default).Child(1), 0);
        var value = ValueCodec.Encode(1, typeof(int));
        var inline = ObjectValue.InlineValue(id, value.Format, value.ToArray());
        var spec = new TaskSpec
        {
            Id = id.Task,
            Owner = default,
            Function = new FunctionDescriptor("warmup", "warmup", "warmup", 0),
            Args = [inline],
            ReturnCount = 1,
        };
        Message[] messages = [new SubmitTask { Spec = spec }, new ExecuteTask { Spec = spec }, new TaskFinished { Task = spec.Id, Returns = [inline] }];
        foreach (var message in messages)
        {
            _ = MemoryPackSerializer.Deserialize<Message>(MemoryPackSerializer.Serialize(message));
        }

        _ = ValueCodec.Decode(typeof(int), inline, null!, ValueCodec.Options);
        _ = ValueCodec.Encode("warmup", typeof(string));
    }
}
