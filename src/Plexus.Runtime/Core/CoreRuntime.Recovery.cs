using Plexus.Core.Lineage;
using Plexus.Core.Recovery;
using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// Lineage reconstruction, the owner's side (docs/ARCHITECTURE.md, "Lineage reconstruction"): a
/// stored object whose node is gone is made again by running the task that made it once more,
/// with the same return ids, after its own lost arguments are made again in turn. The owner
/// learns of a loss three ways: the node's death (every runtime hears it), a reader that could not
/// reach the object's node (<see cref="GetObject.LostAt"/>), and a node that dropped a queued task
/// whose argument it could not reach (<see cref="ArgumentsLost"/>). A copy of a lost object on a
/// live node (a reader's) is used when one exists: the owner's node finds it
/// (<see cref="LocateObjects"/>), and its holder makes it the primary (<see cref="AdoptCopies"/>).
/// </summary>
internal sealed partial class CoreRuntime
{
    // How many times one read asks for an object's current value after finding its node unreachable.
    private const int MaxRelocations = 3;

    // Whether this runtime heard that node `node` is gone (a ProcessExited for the node's own address).
    private bool IsNodeGone(ulong node) => node != 0 && _exited.ContainsKey(ProcessAddress.NodeOf(node));

    // How long the owner waits for its node to answer a search for copies, or an adoption, before
    // it makes the objects again instead.
    private static readonly TimeSpan CopyAnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The value of an owned object, found or made again first when it was lost (stored at
    /// <paramref name="lostAt"/>, on a node that is gone, or given up while only lineage needed it);
    /// a failure saying why when it cannot be made again. Concurrent calls share one recovery.
    /// </summary>
    public Task<ObjectValue> RecoverAsync(ObjectId id, ulong lostAt)
    {
        Recover([id], lostAt);
        return References.OwnedValue(id) ?? Task.FromResult(Errors.Freed(id));
    }

    // Recovers owned objects that may be lost at `lostAt`: those whose copies may live on are
    // searched for first (one search for all), the others made again at once.
    private void Recover(IEnumerable<ObjectId> ids, ulong lostAt)
    {
        var searching = References.BeginCopySearch(ids, lostAt, IsNodeGone);
        foreach (var id in ids)
        {
            if (!searching.Exists(lost => lost.Id == id))
            {
                StartRemake(id, lostAt);
            }
        }

        if (searching.Count > 0)
        {
            _ = AdoptCopiesOrRemakeAsync(searching, lostAt);
        }
    }

    private void StartRemake(ObjectId id, ulong lostAt, bool copiesSearched = false)
    {
        if (References.BeginRecovery(id, lostAt, IsNodeGone, copiesSearched) is { Remake: { } record, Spec: { } spec })
        {
            _ = RemakeAsync(record, spec);
        }
    }

    // Asks the node where copies of the lost objects are, makes the copies found their primaries,
    // and makes the rest again from lineage.
    private async Task AdoptCopiesOrRemakeAsync(List<ObjectValue> lost, ulong lostAt)
    {
        var adopted = new HashSet<ObjectId>();
        try
        {
            var located = await AskNodeAsync<ObjectsLocated>(new LocateObjects { Objects = [.. lost.Select(l => l.Id)] }).ConfigureAwait(false);
            foreach (var holder in (located?.Found ?? []).Where(f => !IsNodeGone(f.Node)).GroupBy(f => f.Node))
            {
                var answer = await AskNodeAsync<ObjectsLocated>(new AdoptCopies { Objects = [.. holder.Select(f => f.Id)], Node = holder.Key, Owner = Address }).ConfigureAwait(false);
                var effects = new RefEffects();
                foreach (var copy in answer?.Found ?? [])
                {
                    var was = lost.Find(l => l.Id == copy.Id)!;
                    References.ResolveAdopted(new ObjectValue
                    {
                        Id = was.Id, Location = ValueLocation.Stored, Format = was.Format, Offset = was.Offset, Size = was.Size, Nested = was.Nested, Node = copy.Node,
                    }, effects);
                    adopted.Add(copy.Id);
                }

                Apply(effects);
            }
        }
        catch (ObjectDisposedException)
        {
            return; // Shut down meanwhile: its objects went with it.
        }

        foreach (var value in lost.Where(l => !adopted.Contains(l.Id)))
        {
            StartRemake(value.Id, lostAt, copiesSearched: true);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> to this runtime's node and returns its answer; null when it
    /// is not answered within 10 s (an answer after that, such as copies adopted, is dropped: those
    /// copies stay until this process exits) or is another message (a failure).
    /// </summary>
    public async Task<T?> AskNodeAsync<T>(Message request)
        where T : Message
    {
        var (requestId, reply) = Requests.Open();
        request.RequestId = requestId;
        Send(request);
        try
        {
            return await reply.WaitAsync(CopyAnswerTimeout).ConfigureAwait(false) as T;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// A reader could not reach node <paramref name="lostAt"/> for object <paramref name="id"/>:
    /// its value now, from this runtime's table when it owns it, else from its owner, which makes it
    /// again (or knows where it is now) first.
    /// </summary>
    public Task<ObjectValue> RelocateAsync(ObjectId id, ProcessAddress owner, ulong lostAt) =>
        owner == Address ? RecoverAsync(id, lostAt) : RefetchAsync(id, owner, lostAt);

    /// <summary>
    /// Pins a stored value for reading. When its node cannot be reached, asks for the object's
    /// current value (<see cref="RelocateAsync"/>) and pins that, a few times at most. Returns the
    /// pinned version (with the refs inside it, <see cref="ObjectValue.Nested"/>), or, unpinned, a
    /// current value that is not stored (a failure). Throws as <see cref="IStoreAccess.PinAsync"/>
    /// does, and the last <see cref="ObjectLostException"/> when the object stays out of reach.
    /// </summary>
    public async ValueTask<(ObjectValue Value, bool Pinned)> PinCurrentAsync(ObjectValue value, ProcessAddress owner)
    {
        for (var relocations = 0; ; relocations++)
        {
            try
            {
                var pinned = await Store.PinAsync(value).ConfigureAwait(false) ?? throw GoneFromStore(value.Id, owner);
                // The node's version lists no refs inside: the reader decodes with the ones its owner listed.
                return (pinned.WithNested(value.Nested), true);
            }
            catch (ObjectUnreachableException) when (relocations < MaxRelocations)
            {
                value = await RelocateAsync(value.Id, owner, value.Node).ConfigureAwait(false);
                if (value.Location != ValueLocation.Stored)
                {
                    return (value, false);
                }
            }
        }
    }

    // Asks the owner again, naming the node found unreachable; its answer registers this process
    // for the refs inside the value once more, which are counted as such (the first value read
    // already counts them as contained), and later reads of the ref get the new value.
    private async Task<ObjectValue> RefetchAsync(ObjectId id, ProcessAddress owner, ulong lostAt)
    {
        var (requestId, reply) = Requests.Open();
        SendTo(owner, new GetObject { RequestId = requestId, Object = id, LostAt = lostAt, Job = ActingJob, Capability = References.CapabilityOf(id) });
        var value = await reply.ConfigureAwait(false) switch
        {
            RequestFailed failed => ObjectValue.FailedValue(id, failed.Error with
            {
                Message = $"The owner of object {id} ({owner}) has exited; its objects are gone with it. ({failed.Error.Message})",
            }),
            var answer => PendingRequests.Expect<ObjectReply>(answer).Value,
        };
        var effects = new RefEffects();
        References.ResolveRefetched(id, value, effects);
        Apply(effects);
        return value;
    }

    // A node this runtime used is gone: what it owns there and still needs is found or made again now.
    private void OnNodeGone(ulong node) => Recover(References.ReferencedOn(node), node);

    // Runs a finished task again to make its lost returns, once its arguments are current.
    private async Task RemakeAsync(LineageRecord record, TaskSpec spec)
    {
        try
        {
            var args = await CurrentArgumentsAsync(spec.Args, record.Held, lost: null).ConfigureAwait(false);
            if (Array.Find(args, a => a.Location == ValueLocation.Failed) is { } failed)
            {
                // An argument is lost for good: its failure is the root cause every awaiter sees.
                References.FailRecovery(record, failed.Error!);
                return;
            }

            var again = spec with { Args = args };
            // The run holds its arguments as any submitted task does, beyond what its lineage holds.
            References.AddPendingTask(record.Held);
            _tasks.Add(spec.Id, new SubmittedTask(spec.ReturnCount, record.Held) { Remakes = record, Spec = again });
            Send(new SubmitTask { Spec = again });
        }
        catch (ObjectDisposedException)
        {
            // The runtime shut down meanwhile: its objects went with it.
        }
    }

    // A node dropped a queued task whose arguments it could not reach: the task is sent again
    // (not charged) once those arguments are found or made again.
    private void OnArgumentsLost(ArgumentsLost lost)
    {
        if (_tasks.Find(lost.Task) is not { } submitted)
        {
            return;
        }

        TaskSpec spec;
        lock (submitted)
        {
            if (submitted.Cancelled || submitted.Spec is not { } sent || sent.Attempt > lost.Attempt)
            {
                return; // Cancelled, an actor call, or a later attempt is under way already.
            }

            spec = sent;
        }

        _ = ResubmitAsync(lost.Task, submitted, spec, lost);
    }

    private async Task ResubmitAsync(TaskId task, SubmittedTask submitted, TaskSpec spec, ArgumentsLost lost)
    {
        try
        {
            var args = await CurrentArgumentsAsync(spec.Args, submitted.Held, [.. lost.Objects]).ConfigureAwait(false);
            if (Array.Find(args, a => a.Location == ValueLocation.Failed) is { } failed)
            {
                FailTask(task, failed.Error!);
                return;
            }

            lock (submitted)
            {
                if (submitted.Cancelled || !ReferenceEquals(submitted.Spec, spec))
                {
                    return;
                }

                var again = spec with { Args = args, Attempt = Math.Max(spec.Attempt, lost.Attempt), ConfirmStart = false };
                submitted.Spec = again;
                Send(new SubmitTask { Spec = again });
            }
        }
        catch (ObjectDisposedException)
        {
            // Shut down meanwhile.
        }
    }

    // The current value of each argument: stored ones on a node that is gone (or named in `lost`)
    // are made again when owned here, else asked of their owners; the rest are as they were.
    private async Task<ObjectValue[]> CurrentArgumentsAsync(ObjectValue[] args, NestedRef[] held, HashSet<ObjectId>? lost)
    {
        var current = new ObjectValue[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var lostAt = arg.Location == ValueLocation.Stored && (lost?.Contains(arg.Id) == true || IsNodeGone(arg.Node)) ? arg.Node : 0;
            var owner = Array.Find(held, h => h.Id == arg.Id).Owner;
            current[i] = arg.Location != ValueLocation.Stored ? arg
                : owner == Address || owner == default ? await RecoverAsync(arg.Id, lostAt).ConfigureAwait(false)
                : lostAt != 0 ? await RefetchAsync(arg.Id, owner, lostAt).ConfigureAwait(false)
                : arg;
        }

        return current;
    }
}
