using Plexus.Core;
using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// What a running task produces besides its values: the borrowed refs its arguments brought in,
/// the borrower registrations its returns need, and the handles to keep reachable until sent.
/// </summary>
internal sealed class TaskResults(TaskId id, ProcessAddress owner, int returnCount)
{
    private readonly ObjectValue[] _returns = new ObjectValue[returnCount];
    private readonly List<ObjectRef[]> _refs = [];

    /// <summary>Borrowed refs decoded from the arguments; reported if still held when the task ends.</summary>
    public List<RefEntry>? ReceivedRefs { get; set; }

    /// <summary>Registrations of the task's owner as borrower of the refs inside the returns.</summary>
    public RefEffects Grants { get; } = new();

    public IReadOnlyList<ObjectValue> Returns => _returns;

    public void Add(int index, ObjectValue value, ObjectRef[]? refs)
    {
        _returns[index] = value;
        if (refs is not null)
        {
            _refs.Add(refs);
        }
    }

    public TaskFinished Finished(NestedRef[]? borrowed, int attempt) => new()
    {
        Target = owner,
        Task = id,
        Returns = _returns,
        Borrowed = borrowed,
        Attempt = attempt,
    };

    /// <summary>The task failed after storing some returns: the owner will never see them.</summary>
    public void FreeStored(IStoreAccess store)
    {
        var stored = _returns.Where(r => r?.Location == ValueLocation.Stored).Select(r => r.Id).ToArray();
        if (stored.Length > 0)
        {
            store.Free(stored);
        }
    }

    /// <summary>The handles inside the returns stay reachable until the registrations are on their way.</summary>
    public void KeepRefsAlive() => GC.KeepAlive(_refs);
}
