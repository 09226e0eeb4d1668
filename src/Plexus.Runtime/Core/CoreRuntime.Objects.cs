using Plexus.Core.References;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>Objects: put, resolved (owned or fetched from their owner), served to borrowers.</summary>
internal sealed partial class CoreRuntime
{
    /// <summary>
    /// The value of a handle's object for the code running now: refused, without looking in this
    /// process's table, when that code may not read it (<see cref="MayRead"/>): a worker runs the
    /// work of several jobs, and holds their objects' values.
    /// </summary>
    public override Task ResolveAsync(ObjectRef reference) =>
        MayRead(reference) ? ResolveAsync(reference.Id, reference.Owner) : Task.FromResult(Refused(reference.Id));

    /// <summary>
    /// The value of an object (inline, in the store, or its failure) once it exists; "freed" when
    /// this process holds no reference to it.
    /// </summary>
    public Task<ObjectValue> ResolveAsync(ObjectId id, ProcessAddress owner)
    {
        var value = References.TryGetValue(id, out var toFetch, out var released);
        if (value is null)
        {
            return Task.FromResult(Errors.Freed(id));
        }

        if (released)
        {
            return RecoverAsync(id, lostAt: 0);
        }

        if (toFetch is not null)
        {
            _ = FetchAsync(toFetch);
        }

        return value;
    }

    // Asks the owner; its answer registers this process as a borrower of the refs inside the value.
    private async Task FetchAsync(RefEntry entry)
    {
        ObjectValue value;
        try
        {
            var (requestId, reply) = Requests.Open();
            SendTo(entry.Owner, new GetObject { RequestId = requestId, Object = entry.Id, Job = ActingJob, Capability = References.CapabilityOf(entry.Id) });
            value = await reply.ConfigureAwait(false) switch
            {
                // The node refused to ask the owner: this job was not given the object.
                RequestFailed { Error.Kind: ErrorKind.ObjectAccessDenied } refused => ObjectValue.FailedValue(entry.Id, refused.Error),
                // The owner exited with the object: every reader sees it fail, as OwnerDiedException.
                RequestFailed failed => ObjectValue.FailedValue(entry.Id, failed.Error with
                {
                    Message = $"The owner of object {entry.Id} ({entry.Owner}) has exited; its objects are gone with it. ({failed.Error.Message})",
                }),
                var answer => PendingRequests.Expect<ObjectReply>(answer).Value,
            };
        }
        catch (ObjectDisposedException e)
        {
            entry.Fetched!.TrySetException(e);
            return;
        }

        var effects = new RefEffects();
        References.ResolveFetched(entry, value, effects);
        Apply(effects);
    }

    /// <summary>
    /// Places an object's value: inline when small (unless <paramref name="forceStore"/>), else
    /// written once into the store (create, write, seal) on behalf of <paramref name="owner"/>.
    /// Creating waits while the store makes room (see the node's backpressure).
    /// </summary>
    public async ValueTask<ObjectValue> StoreAsync(
        ObjectId id, EncodedValue encoded, ProcessAddress owner, bool forceStore = false, CancellationToken cancellationToken = default)
    {
        if (encoded.Length <= InlineThreshold && !forceStore)
        {
            return new ObjectValue
            {
                Id = id, Location = ValueLocation.Inline, Format = encoded.Format, Inline = encoded.ToArray(), Size = encoded.Length, Nested = encoded.Nested,
            };
        }

        var offset = await Store.CreateAsync(id, encoded.Length, owner, cancellationToken).ConfigureAwait(false);
        encoded.CopyTo(Store.Arena, offset);
        var value = new ObjectValue
        {
            Id = id, Location = ValueLocation.Stored, Format = encoded.Format, Offset = offset, Size = encoded.Length, Nested = encoded.Nested,
            Node = Address.Node,
        };
        Store.Seal(id, value);
        return value;
    }

    /// <summary>
    /// Creates an object owned by this runtime from an encoded value, with one handle, and returns
    /// its id. The value is copied before this returns (waiting while a full store makes room), so
    /// the caller may change its own copy afterwards; throws <see cref="ObjectStoreFullException"/>
    /// when no room could be made in time.
    /// </summary>
    public ObjectId Put(EncodedValue encoded) => PutOwned(encoded, handles: 1);

    /// <summary><see cref="Put"/> that waits for room without blocking a thread; cancelling stops the wait.</summary>
    public ValueTask<ObjectId> PutAsync(EncodedValue encoded, CancellationToken cancellationToken) =>
        PutOwnedAsync(encoded, handles: 1, cancellationToken);

    // The synchronous put keeps its own body: small puts complete here without an async state machine.
    private ObjectId PutOwned(EncodedValue encoded, int handles)
    {
        var id = BeginPut(handles);
        ObjectValue value;
        try
        {
            var stored = StoreAsync(id, encoded, Address);
            value = stored.IsCompleted ? stored.Result : stored.AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            References.Discard(id);
            throw;
        }

        return EndPut(id, value, encoded);
    }

    private async ValueTask<ObjectId> PutOwnedAsync(EncodedValue encoded, int handles, CancellationToken cancellationToken)
    {
        var id = BeginPut(handles);
        ObjectValue value;
        try
        {
            value = await StoreAsync(id, encoded, Address, forceStore: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            References.Discard(id);
            throw;
        }

        return EndPut(id, value, encoded);
    }

    private ObjectId BeginPut(int handles)
    {
        ThrowIfClosed();
        var id = CurrentContext.NextPutId();
        References.AddOwned(id, handles, pendingTasks: 0, CallSite());
        return id;
    }

    private ObjectId EndPut(ObjectId id, ObjectValue value, EncodedValue encoded)
    {
        var effects = new RefEffects();
        References.ResolveOwned(value, granted: false, effects);
        Apply(effects);
        // The refs inside the value are counted as contained now: their handles may go.
        GC.KeepAlive(encoded.Refs);
        return id;
    }

    private async Task AnswerGetAsync(GetObject get)
    {
        // A reader that found the object's node unreachable gets it made again (or its value now).
        var value = await (get.LostAt != 0 ? RecoverAsync(get.Object, get.LostAt) : ResolveAsync(get.Object, Address)).ConfigureAwait(false);
        if (_closed is not null)
        {
            return;
        }

        // The requester now holds the refs inside the value: register it before it can drop them.
        var effects = new RefEffects();
        GrantNested(value.Nested, get.Source, effects);
        Apply(effects);
        TrySend(get.Source, new ObjectReply { RequestId = get.RequestId, Value = value });
    }
}
