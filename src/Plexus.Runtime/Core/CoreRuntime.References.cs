using System.Collections.Concurrent;
using System.Diagnostics;
using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// Reference counting: handles made and dropped (disposed, or finalized by the garbage collector),
/// borrowers registered and released, and the node's requests to collect garbage under pressure.
/// </summary>
internal sealed partial class CoreRuntime
{
    // Handles the garbage collector finalized: released in batches off the finalizer thread.
    private readonly ConcurrentQueue<ObjectId> _finalized = new();
    private int _drainScheduled;

    public ReferenceTable References { get; }

    /// <summary>The bytes of lineage this runtime keeps as an owner (<c>PlexusOptions.MaxLineageBytes</c>).</summary>
    public long MaxLineageBytes
    {
        get => References.MaxLineageBytes;
        set => References.MaxLineageBytes = value;
    }

    /// <summary>Whether objects remember the user code that created them (for memory reports).</summary>
    public bool RecordCallSites { get; init; }

    /// <summary>Counts one more handle; false when the object is owned here and already freed.</summary>
    public override bool AddHandle(ObjectId id, ProcessAddress owner) => References.AddHandle(id, owner);

    /// <summary>A handle was disposed: its count goes now.</summary>
    public override void ReleaseHandle(ObjectId id)
    {
        if (_closed is not null)
        {
            return;
        }

        var effects = new RefEffects();
        References.ReleaseHandle(id, effects);
        Apply(effects);
    }

    /// <summary>Called on the finalizer thread: queue the release, never block or take locks there.</summary>
    public override void ReleaseFinalizedHandle(ObjectId id)
    {
        if (_closed is not null)
        {
            return;
        }

        _finalized.Enqueue(id);
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static runtime => runtime.DrainFinalized(), this, preferLocal: false);
        }
    }

    /// <summary>Releases the handles finalized so far, now, on this thread.</summary>
    public void ReleaseFinalizedNow() => DrainFinalized();

    // Bumped when a handle is made or a task finishes: the idle collector only asks whether it changed.
    private long _activity;

    /// <summary>How much has happened that can leave dropped handles behind (see <see cref="IdleCollector"/>).</summary>
    public long Activity => Volatile.Read(ref _activity);

    /// <summary>Notes a handle made, or a task or call finished. Cheap: a racy increment is enough.</summary>
    public override void NoteActivity() => _activity++;

    private void DrainFinalized()
    {
        Volatile.Write(ref _drainScheduled, 0);
        var effects = new RefEffects();
        while (_finalized.TryDequeue(out var id))
        {
            References.ReleaseHandle(id, effects);
        }

        Apply(effects);
    }

    /// <summary>
    /// Registers <paramref name="borrower"/>, which is being handed a value containing
    /// <paramref name="nested"/>, with the owner of each ref (unless it is the owner). The caller
    /// holds those refs until the effects are sent, and sends them before the value.
    /// </summary>
    public void GrantNested(NestedRef[]? nested, ProcessAddress borrower, RefEffects effects)
    {
        foreach (var reference in nested ?? [])
        {
            if (reference.Owner == borrower)
            {
                continue;
            }

            if (reference.Owner == Address)
            {
                References.AddBorrower(reference.Id, borrower);
            }
            else
            {
                effects.Grant(reference.Owner, reference.Id, borrower);
            }
        }
    }

    public void Apply(RefEffects effects)
    {
        if (effects.IsEmpty || _closed is not null)
        {
            return;
        }

        try
        {
            effects.Apply(this);
        }
        catch (ObjectDisposedException)
        {
            // Shut down meanwhile: every object goes with the node.
        }
    }

    private void OnRefUpdate(RefUpdate update)
    {
        foreach (var grant in update.Added ?? [])
        {
            References.AddBorrower(grant.Id, grant.Borrower);
        }

        var effects = new RefEffects();
        foreach (var release in update.Released ?? [])
        {
            References.ReleaseBorrower(release.Id, update.Source, release.Count, effects);
        }

        Apply(effects);
    }

    // Processes that exited (numbers are never reused): their objects are gone.
    private readonly ConcurrentDictionary<ProcessAddress, byte> _exited = new();

    /// <summary>
    /// Why a stored object this process knew the location of is no longer in the store: its owner
    /// died (the node frees a dead owner's objects), or it was freed.
    /// </summary>
    public ObjectLostException GoneFromStore(ObjectId id, ProcessAddress owner) =>
        _exited.ContainsKey(owner)
            ? new OwnerDiedException($"The owner of object {id} ({owner}) has exited; its objects are gone with it.")
            : new ObjectLostException($"Object {id} is no longer in the object store (it was freed).");

    private void OnProcessExited(ProcessExited exited)
    {
        _exited.TryAdd(exited.Process, 0);
        var effects = new RefEffects();
        References.ForgetBorrower(exited.Process, effects);
        Apply(effects);
        if (exited.Process.IsNode)
        {
            OnNodeGone(exited.Process.Node);
        }
    }

    // The store is under pressure: find the handles the program dropped without disposing, release
    // them, and only then answer, so the node sees the frees before it decides to spill.
    private void OnCollectGarbage(CollectGarbage collect) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (runtime, round) = state;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            runtime.ReleaseFinalizedNow();
            if (runtime._closed is null)
            {
                runtime.TrySend(runtime.NodeAddress, new CollectDone { Round = round });
            }
        }, (this, collect.Round), preferLocal: false);

    /// <summary>Asks another runtime on this node for the objects it owns.</summary>
    public async Task<OwnedObjectReport[]> DescribeObjectsAsync(ProcessAddress target, CancellationToken cancellationToken)
    {
        var (requestId, reply) = Requests.Open();
        SendTo(target, new DescribeObjects { RequestId = requestId });
        return await reply.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false) switch
        {
            // The target exited meanwhile: it owns nothing any more.
            RequestFailed => [],
            var answer => PendingRequests.Expect<ObjectsDescribed>(answer).Objects,
        };
    }

    private void OnDescribeObjects(DescribeObjects describe) =>
        TrySend(describe.Source, new ObjectsDescribed { RequestId = describe.RequestId, Objects = References.DescribeOwned() });

    // Off the receiving thread: the walk holds the table's lock a while on a large table (ReferenceSummaries),
    // and the messages behind this one need not wait for it.
    private void OnSummarizeReferences(SummarizeReferences summarize) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (runtime, request) = state;
            runtime.TrySend(runtime.NodeAddress, new ReferencesSummarized { RequestId = request.RequestId, Summary = runtime.References.Summarize(Math.Clamp(request.Largest, 0, SummarizeReferences.MaxLargest)) });
        }, (this, summarize), preferLocal: false);

    private void TrySend(ProcessAddress target, Message message)
    {
        try
        {
            SendTo(target, message);
        }
        catch (ObjectDisposedException)
        {
            // Shut down meanwhile.
        }
    }

    // The first frame outside Plexus itself: where the user's code created an object.
    private string? CallSite()
    {
        if (!RecordCallSites)
        {
            return null;
        }

        var plexus = typeof(CoreRuntime).Assembly;
        foreach (var frame in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetMethod() is { DeclaringType: { } type } method && type.Assembly != plexus)
            {
                var line = frame.GetFileLineNumber();
                return line > 0 ? $"{type.FullName}.{method.Name} ({Path.GetFileName(frame.GetFileName())}:{line})" : $"{type.FullName}.{method.Name}";
            }
        }

        return null;
    }
}
