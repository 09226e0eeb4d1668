using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>Objects: put, resolved (owned or fetched from their owner), freed, served to borrowers.</summary>
internal sealed partial class CoreRuntime
{
    /// <summary>The value of an object (inline, in the store, or its failure) once it exists.</summary>
    public Task<ObjectValue> ResolveAsync(ObjectId id, ProcessAddress owner)
    {
        if (owner == Address)
        {
            return Owned.TryGet(id, out var entry)
                ? entry.Value
                : Task.FromResult(Errors.Freed(id));
        }

        return _borrowed.GetOrAdd(id, static (id, state) => state.Self.FetchAsync(id, state.Owner), (Self: this, Owner: owner));
    }

    private async Task<ObjectValue> FetchAsync(ObjectId id, ProcessAddress owner)
    {
        var (requestId, reply) = Requests.Open();
        Send(new GetObject { RequestId = requestId, Object = id, Requester = Address, Owner = owner });
        return ((ObjectReply)await reply.ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// Places an object's value: inline when small (unless <paramref name="forceStore"/>), else
    /// written once into the store (create, write, seal) on behalf of <paramref name="owner"/>.
    /// </summary>
    public async ValueTask<ObjectValue> StoreAsync(ObjectId id, EncodedValue encoded, ProcessAddress owner, bool forceStore = false)
    {
        if (encoded.Length <= InlineThreshold && !forceStore)
        {
            return ObjectValue.InlineValue(id, encoded.Format, encoded.ToArray());
        }

        var offset = await Store.CreateAsync(id, encoded.Length, owner).ConfigureAwait(false);
        encoded.CopyTo(Store.Arena, offset);
        var value = ObjectValue.StoredValue(id, encoded.Format, offset, encoded.Length);
        Store.Seal(id, value);
        return value;
    }

    /// <summary>
    /// Creates an object owned by this runtime from an encoded value and returns its id. A full
    /// store throws <see cref="ObjectStoreFullException"/> here when that is known at once, else
    /// the object fails with it.
    /// </summary>
    public ObjectId Put(EncodedValue encoded)
    {
        ThrowIfClosed();
        var id = CurrentContext.NextPutId();
        Owned.AddPending(id, lineage: null);
        var stored = StoreAsync(id, encoded, Address);
        if (stored.IsCompleted)
        {
            try
            {
                ResolveOwned(stored.Result);
            }
            catch
            {
                Owned.Free(id);
                throw;
            }
        }
        else
        {
            _ = ResolveWhenStoredAsync(id, stored);
        }

        return id;
    }

    private async Task ResolveWhenStoredAsync(ObjectId id, ValueTask<ObjectValue> stored)
    {
        try
        {
            ResolveOwned(await stored.ConfigureAwait(false));
        }
        catch (Exception e)
        {
            ResolveOwned(ObjectValue.FailedValue(id, Errors.FromException(e, taskName: null)));
        }
    }

    /// <summary>Drops this runtime's interest in an object; an owner frees its store copy.</summary>
    public void Free(ObjectId id, ProcessAddress owner)
    {
        if (owner != Address)
        {
            _borrowed.TryRemove(id, out _);
            return;
        }

        // A pending object stays in the table, marked, until its value arrives (see ResolveOwned).
        if (Owned.Free(id) is { Location: ValueLocation.Stored } stored && _closed is null)
        {
            Store.Free([stored.Id]);
        }
    }

    // Records a value for an owned object; a value that arrives for an object freed while
    // pending is dropped, store copy included, and its waiters learn it was freed.
    private void ResolveOwned(ObjectValue value)
    {
        if (Owned.Resolve(value) is { Location: ValueLocation.Stored } orphan && _closed is null)
        {
            Store.Free([orphan.Id]);
        }
    }

    private async Task AnswerGetAsync(GetObject get)
    {
        var value = Owned.TryGet(get.Object, out var entry)
            ? await entry.Value.ConfigureAwait(false)
            : Errors.Freed(get.Object);
        // A borrower must not read the store copy of an object freed meanwhile: it is gone.
        if (_closed is null)
        {
            _send(new ObjectReply { RequestId = get.RequestId, Requester = get.Requester, Value = value });
        }
    }
}
