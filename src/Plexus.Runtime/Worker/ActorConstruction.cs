using System.Reflection;
using Plexus.Core;
using Plexus.Core.References;
using Plexus.Functions;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// Builds an actor's instance on its worker. Constructor arguments that were futures when the
/// actor was created are fetched from their owners first (the fetch waits until they exist; the
/// creator holds them until the actor is built, or for its whole life when it restarts), stored
/// ones are pinned while they are read (made again by their owner first when their node is gone),
/// and only then does the constructor run. An argument that failed, or a constructor that throws,
/// leaves the actor dead, saying which.
/// </summary>
internal static class ActorConstruction
{
    /// <summary>
    /// The instance, or why there is none; the borrowed refs the arguments brought in (reported to
    /// the creator); and the pins that zero-copy parameters still read through, kept while the actor lives.
    /// </summary>
    public sealed record Built(object? Instance, ErrorInfo? Failure, List<RefEntry>? Received, IReadOnlyList<ObjectValue> Pins);

    /// <summary>Builds the instance, unless <paramref name="ended"/> says the actor ended while its arguments were awaited.</summary>
    public static async Task<Built> BuildAsync(CoreRuntime runtime, ActorSpec spec, ActorCallOrder calls, Func<bool> ended)
    {
        var pins = new List<ObjectValue>();
        var kept = new List<ObjectValue>();
        var futures = new List<ObjectRef>();
        List<RefEntry>? received = null;
        TaskContext.Current = new TaskContext(spec.Id, onWaitChanged: null) { Calls = calls, Function = spec.Constructor, Actor = spec.Id, TaskLogLevel = spec.TaskLogLevel, Namespace = spec.JobNamespace };
        try
        {
            var constructor = FunctionInvoker.Resolve(spec.Constructor);
            var values = new ObjectValue[spec.Args.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = await ReadyValueAsync(runtime, spec, i, futures, pins).ConfigureAwait(false);
            }

            var parameters = constructor.ParameterTypes;
            var args = new object?[parameters.Length];
            ArgumentRefs.Begin();
            try
            {
                for (var i = 0; i < args.Length && i < values.Length; i++)
                {
                    args[i] = ArgumentReader.Read(parameters[i], values[i], runtime);
                    if (args[i] is not null && IsView(parameters[i]) && values[i].Location == ValueLocation.Stored)
                    {
                        kept.Add(values[i]);
                    }
                }
            }
            finally
            {
                received = ArgumentRefs.End();
            }

            if (ended())
            {
                // Killed meanwhile: its constructor's side effects would be for nothing.
                kept.Clear();
                return new Built(null, null, received, kept);
            }

            return new Built(constructor.Construct(args), null, received, kept);
        }
        catch (Exception e)
        {
            kept.Clear();
            return new Built(null, Failure(spec, e), received, kept);
        }
        finally
        {
            TaskContext.Current = null;
            foreach (var pin in pins.Except(kept))
            {
                runtime.Store.Unpin(pin);
            }

            futures.ForEach(f => f.Dispose());
        }
    }

    // Argument `index` as a value that can be read now: fetched if it was a future, pinned if stored.
    private static async Task<ObjectValue> ReadyValueAsync(CoreRuntime runtime, ActorSpec spec, int index, List<ObjectRef> futures, List<ObjectValue> pins)
    {
        var value = spec.Args[index];
        var owner = spec.Owner;
        if (value.Location == ValueLocation.Future)
        {
            var source = value.Future ?? throw new InvalidDataException("A future argument names no owner.");
            owner = source.Owner;
            var future = ObjectRef<object>.Received(value.Id, owner, runtime);
            futures.Add(future);
            // Another job's object comes with its tag: the actor reads it as a ref handed over.
            runtime.Admit(future, source.Capability);
            value = await future.WaitValueAsync(timeout: null, CancellationToken.None).ConfigureAwait(false);
        }

        switch (value.Location)
        {
            case ValueLocation.Failed:
                throw new ConstructorArgumentException(index, Errors.ToException(value.Error!));
            case ValueLocation.Stored:
                // A restart on another node may find the argument's node gone: its owner makes it again, or says where it is now.
                var (current, pinned) = await runtime.PinCurrentAsync(value, owner).ConfigureAwait(false);
                if (!pinned)
                {
                    return current.Location == ValueLocation.Failed ? throw new ConstructorArgumentException(index, Errors.ToException(current.Error!)) : current;
                }

                pins.Add(current);
                return current;
            default:
                return value;
        }
    }

    private static bool IsView(Type parameter) => parameter.IsGenericType && parameter.GetGenericTypeDefinition() == typeof(ReadOnlyMemory<>);

    private static ErrorInfo Failure(ActorSpec spec, Exception e)
    {
        var inner = e is TargetInvocationException { InnerException: { } thrown } ? thrown : e;
        var message = inner is ConstructorArgumentException argument
            ? $"The constructor of actor {spec.Id} ({spec.Constructor.Type}) could not run: its argument {argument.Index} failed with {argument.InnerException!.GetType().FullName}: {argument.InnerException.Message}"
            : $"The constructor of actor {spec.Id} ({spec.Constructor.Type}) threw {inner.GetType().FullName}: {inner.Message}";
        return new ErrorInfo(ErrorKind.ActorDied, message, inner.StackTrace ?? string.Empty, spec.Name) { Cause = (byte)ActorDeathCause.ConstructorFailed };
    }

    private sealed class ConstructorArgumentException(int index, Exception failure) : Exception(failure.Message, failure)
    {
        public int Index { get; } = index;
    }
}
