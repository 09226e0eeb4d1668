using System.Reflection;
using System.Runtime.InteropServices;
using Plexus.Core;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Worker;

/// <summary>Turns a resolved task argument into the value its parameter expects.</summary>
internal static class ArgumentReader
{
    private static readonly MethodInfo ViewMethod = typeof(ArgumentReader).GetMethod(nameof(ViewOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static object? Read(Type parameter, ObjectValue arg, CoreRuntime runtime)
    {
        if (parameter == typeof(CancellationToken))
        {
            // Whatever token the caller passed stays with the caller: the task gets its own.
            return TaskContext.Current?.Cancellation ?? CancellationToken.None;
        }

        if (arg.Location == ValueLocation.Stored && arg.Format == ValueFormat.RawArray
            && parameter.IsGenericType && parameter.GetGenericTypeDefinition() == typeof(ReadOnlyMemory<>)
            && RawArrays.MemoryElementType(parameter) is { } element)
        {
            // Zero-copy, read-only: objects are immutable once sealed (a Memory<T> parameter gets a copy).
            var count = checked((int)(arg.Size / Marshal.SizeOf(element)));
            return ViewMethod.MakeGenericMethod(element).Invoke(null, [runtime.Store.Arena, arg.Offset, count]);
        }

        return ValueCodec.Decode(parameter, arg, runtime);
    }

    private static object ViewOf<T>(SharedMemoryArena arena, long offset, int count) where T : unmanaged =>
        (ReadOnlyMemory<T>)arena.GetMemory<T>(offset, count);
}
