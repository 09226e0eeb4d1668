using Plexus.Protocol.Messages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>Turns the node's processes' reference summaries (<see cref="NodeDaemon.SummarizeReferencesAsync"/>) into the state API's <c>NodeReferences</c>.</summary>
internal static class ReferenceReports
{
    public static Proto.NodeReferences ToMessage(ulong node, IEnumerable<ProcessReferences> processes)
    {
        var nodeId = TaskEventReports.NodeBytes(node);
        var reply = new Proto.NodeReferences();
        foreach (var process in processes)
        {
            var message = new Proto.ProcessReferences
            {
                NodeId = nodeId,
                Process = process.Process,
                Pid = process.Pid,
                Driver = process.IsDriver,
                Answered = process.Summary is not null,
            };
            if (process.Summary is { } summary)
            {
                message.Kinds.AddRange(summary.Kinds.Select(k => new Proto.HeldKindTotals { Kind = Kind(k.Kind), Objects = k.Objects, Bytes = k.Bytes }));
                message.Jobs.AddRange(summary.Jobs.Select(j => new Proto.HeldJobTotals
                {
                    JobId = StoreReports.JobBytes(j.Job), Objects = j.Objects, InlineObjects = j.InlineObjects, InlineBytes = j.InlineBytes,
                }));
                message.Largest.AddRange(summary.Largest.Select(e => new Proto.ObjectRecord
                {
                    ObjectId = StoreReports.ObjectBytes(e.Id),
                    Kind = Kind(e.Kind),
                    Size = e.Size,
                    Handles = e.Handles,
                    PendingTasks = e.PendingTasks,
                    Borrowers = e.Borrowers,
                }));
            }

            reply.Processes.Add(message);
        }

        return reply;
    }

    private static Proto.ObjectKind Kind(HeldKind kind) => kind switch
    {
        HeldKind.Inline => Proto.ObjectKind.Inline,
        HeldKind.Stored => Proto.ObjectKind.Stored,
        HeldKind.Pending => Proto.ObjectKind.Pending,
        HeldKind.Borrowed => Proto.ObjectKind.Borrowed,
        HeldKind.Failed => Proto.ObjectKind.Failed,
        _ => Proto.ObjectKind.Unspecified,
    };
}
