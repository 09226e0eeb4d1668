using System.Linq.Expressions;
using Plexus.Binding;
using Plexus.Functions;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>The public API's view of this runtime (<see cref="RuntimeCore"/>): handles, puts, builders.</summary>
internal sealed partial class CoreRuntime
{
    public override Task Freed(ObjectId id) => Task.FromResult(Errors.Freed(id));

    public override bool IsFailed(Task resolved) =>
        resolved is Task<ObjectValue> { IsCompletedSuccessfully: true, Result.Location: ValueLocation.Failed };

    public override ObjectInfo Describe(ObjectId id, ProcessAddress owner, Task resolved)
    {
        if (!resolved.IsCompletedSuccessfully)
        {
            return new ObjectInfo(id, owner, ObjectState.Pending, 0, ObjectPlacement.Unknown);
        }

        var value = ((Task<ObjectValue>)resolved).Result;
        return value.Location switch
        {
            ValueLocation.Failed => new ObjectInfo(id, owner, value.Error!.Kind is ErrorKind.ObjectLost or ErrorKind.OwnerDied ? ObjectState.Lost : ObjectState.Failed, 0, ObjectPlacement.Unknown),
            ValueLocation.Stored => new ObjectInfo(id, owner, ObjectState.Ready, value.Size, ObjectPlacement.SharedMemory),
            _ => new ObjectInfo(id, owner, ObjectState.Ready, value.Size, ObjectPlacement.Inline),
        };
    }

    public override async ValueTask<T> GetAsync<T>(ObjectRef<T> reference, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var value = await reference.WaitValueAsync(timeout, cancellationToken).ConfigureAwait(false);
        return (T)(await ValueReader.ReadAsync(typeof(T), value, this, reference.Owner).ConfigureAwait(false))!;
    }

    public override async ValueTask<ObjectView<T>> GetViewAsync<T>(ObjectRef<T[]> reference, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var value = await reference.WaitValueAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (value.Location == ValueLocation.Stored)
        {
            // Its node may be gone: then the value pinned is where the owner made it again.
            (value, var isPinned) = await PinCurrentAsync(value, reference.Owner).ConfigureAwait(false);
            if (isPinned)
            {
                return View<T>(value);
            }
        }

        var copy = (T[])(await ValueReader.ReadAsync(typeof(T[]), value, this, reference.Owner).ConfigureAwait(false))!;
        return new ObjectView<T>(copy, pinnedIn: null, pinned: null);
    }

    private ObjectView<T> View<T>(ObjectValue pinned)
        where T : unmanaged
    {
        unsafe
        {
            var count = checked((int)(pinned.Size / sizeof(T)));
            return new ObjectView<T>(Store.Arena.GetMemory<T>(pinned.Offset, count), Store, pinned);
        }
    }

    public override async Task WaitAsync(Task done, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var context = TaskContext.Current;
        context?.EnterWait();
        try
        {
            await done.WaitAsync(timeout ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context?.ExitWait();
        }
    }

    public override ObjectRef<T> Put<T>(T value) => ObjectRef<T>.Owned(Put(ValueCodec.Encode(value, typeof(T))), this);

    public override ReturnBuffer CreateReturnBuffer(int index, int length) =>
        (TaskContext.Current?.ReturnBuffers ?? throw new InvalidOperationException(
            "A return buffer is for code running in a task or an actor call, which returns it; elsewhere, Put the value."))
        .Create(index, length);

    public override async ValueTask<ObjectRef<T>> PutAsync<T>(T value, CancellationToken cancellationToken) =>
        ObjectRef<T>.Owned(await PutAsync(ValueCodec.Encode(value, typeof(T)), cancellationToken).ConfigureAwait(false), this);

    public override TaskBuilderCore DescribeTask(Delegate function, Type declaredResult)
    {
        var descriptor = FunctionDescriptors.Describe(function);
        ResultShape.ThrowIfMismatched(function.Method, declaredResult);
        return new BoundTaskBuilder(this, descriptor, TaskOptions.Default);
    }

    public override RemoteFunction<TDelegate> DescribeFunction<TDelegate>(TDelegate function) => RemoteFunctions.Describe(function);

    public override ActorRecipe DescribeActor(LambdaExpression constructor)
    {
        var (descriptor, args) = ActorExpressions.Constructor(constructor);
        return new BoundActorRecipe(this, descriptor, args);
    }

    public override async Task<ActorBinding> LookupActorAsync(string name, string? @namespace, Type expected)
    {
        var (spec, capability) = await LookupActorAsync(name, @namespace).ConfigureAwait(false);
        return IsOfClass(spec.Constructor, expected)
            ? new BoundActor(spec, this, anchor: null, capability)
            : throw new InvalidCastException($"Actor '{name}' is a {spec.Constructor.Type}{Arguments(spec.Constructor.TypeArguments)}, not a {expected.FullName}.");
    }

    // Whether an actor built by `constructor` is a `type`: a generic class is named by its
    // definition, with its type arguments beside it when the spec carries them (a spec found
    // through another node's registry carries the class name alone).
    private static bool IsOfClass(FunctionDescriptor constructor, Type type)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return constructor.Type == definition.FullName
            && (constructor.TypeArguments is not { } arguments || arguments.SequenceEqual(type.GetGenericArguments().Select(t => t.AssemblyQualifiedName!)));
    }

    private static string Arguments(string[]? typeArguments) => typeArguments is null ? string.Empty : $"[{string.Join(", ", typeArguments)}]";

    public override async Task<IReadOnlyList<(string Namespace, string Name)>> ListActorsAsync() =>
        [.. (await ListActorSpecsAsync().ConfigureAwait(false)).Where(a => a.Name is not null).Select(a => (a.Namespace, a.Name!))];

    /// <summary>Encodes the arguments a caller gave (values by their declared types); futures pass as they are.</summary>
    public static TaskArgument[] Encode(CallArgument[] args)
    {
        var encoded = new TaskArgument[args.Length];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = Encode(args[i]);
        }

        return encoded;
    }

    private static TaskArgument Encode(in CallArgument arg)
    {
        if (arg.Reference is { } reference)
        {
            return TaskArgument.OfRef(reference);
        }

        if (arg.DeclaredType == typeof(CancellationToken))
        {
            // A token cannot travel: the task gets its own, which cancelling the task cancels.
            return TaskArgument.OfEncoded(EncodedValue.CancellationTokenMarker);
        }

        try
        {
            return TaskArgument.OfEncoded(ValueCodec.Encode(arg.Value, arg.DeclaredType));
        }
        catch (ValueSerializationException e)
        {
            throw new ValueSerializationException($"Argument {arg.Position} cannot be sent: {e.Message}", e);
        }
    }
}
