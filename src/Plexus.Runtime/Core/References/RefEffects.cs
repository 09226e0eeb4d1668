using Plexus.Protocol.Messages;

namespace Plexus.Core.References;

/// <summary>
/// What a change to the reference table requires of the world, gathered under the table's lock
/// and carried out after it: store copies to free, releases and borrower grants to send to owners.
/// </summary>
internal sealed class RefEffects
{
    private List<ObjectId>? _storeFrees;
    // Owned objects stored on other nodes (a task of this process ran there), by node.
    private Dictionary<ulong, List<ObjectId>>? _remoteFrees;
    private List<TaskId>? _endedActors;
    private Dictionary<ProcessAddress, (List<BorrowerGrant>? Added, List<ReleasedRef>? Released)>? _updates;

    public bool IsEmpty => _storeFrees is null && _remoteFrees is null && _updates is null && _endedActors is null;

    /// <summary>An owned actor's anchor was freed: no process holds a handle to it any more.</summary>
    public void EndActor(TaskId actor) => (_endedActors ??= []).Add(actor);

    /// <summary>An owned object's store copy goes, from the store of node <paramref name="node"/> (0: this process's node).</summary>
    public void FreeStored(ObjectId id, ulong node)
    {
        if (node == 0)
        {
            (_storeFrees ??= []).Add(id);
            return;
        }

        _remoteFrees ??= [];
        if (!_remoteFrees.TryGetValue(node, out var ids))
        {
            ids = [];
            _remoteFrees[node] = ids;
        }

        ids.Add(id);
    }

    /// <summary>This process drops its registrations as a borrower of an object owned elsewhere.</summary>
    public void Release(ProcessAddress owner, ObjectId id, int registrations)
    {
        var update = UpdateFor(owner);
        (update.Released ??= []).Add(new ReleasedRef(id, registrations));
        _updates![owner] = update;
    }

    /// <summary>Registers <paramref name="borrower"/> with the owner of <paramref name="id"/>.</summary>
    public void Grant(ProcessAddress owner, ObjectId id, ProcessAddress borrower)
    {
        var update = UpdateFor(owner);
        (update.Added ??= []).Add(new BorrowerGrant(id, borrower));
        _updates![owner] = update;
    }

    /// <summary>Sends what was gathered: grants before releases in each message, so no count dips early.</summary>
    public void Apply(CoreRuntime runtime)
    {
        if (_updates is not null)
        {
            foreach (var (owner, update) in _updates)
            {
                runtime.SendTo(owner, new RefUpdate
                {
                    Added = update.Added?.ToArray(),
                    Released = update.Released?.ToArray(),
                });
            }
        }

        if (_storeFrees is not null)
        {
            runtime.Store.Free([.. _storeFrees]);
        }

        foreach (var (node, ids) in _remoteFrees ?? [])
        {
            // The node of this process frees what its own store holds, and passes on the rest.
            if (node == runtime.Address.Node)
            {
                runtime.Store.Free([.. ids]);
            }
            else
            {
                runtime.Send(new FreeObjects { Objects = [.. ids], Node = node });
            }
        }

        foreach (var actor in _endedActors ?? [])
        {
            runtime.EndUnreferencedActor(actor);
        }
    }

    private (List<BorrowerGrant>? Added, List<ReleasedRef>? Released) UpdateFor(ProcessAddress owner)
    {
        _updates ??= [];
        return _updates.TryGetValue(owner, out var update) ? update : default;
    }
}
