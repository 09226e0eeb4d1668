using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// The objects processes hold in their reference tables (inline values, pending results, borrowed
/// refs), as their nodes summarized them when a listing asked (<c>include_held</c>): each process's
/// counts and largest entries, and the nodes that did not answer in time. Nothing of it is kept:
/// each listing asks again, so a cluster nobody looks at pays nothing.
/// </summary>
internal sealed record HeldObjects(IReadOnlyList<Proto.ProcessReferences> Processes, IReadOnlyList<ulong> SilentNodes)
{
    /// <summary>What a listing without <c>include_held</c> adds: nothing.</summary>
    public static readonly HeldObjects None = new([], []);

    /// <summary>
    /// Asks each of <paramref name="nodes"/> at once for its processes' summaries, each listing at
    /// most <paramref name="largest"/> entries. A node that does not answer within
    /// <see cref="NodeRequests.AnswerTimeout"/>, leaves, or answers with a malformed summary is
    /// silent (<paramref name="silent"/> says why): the listing never waits longer, nor fails for one node.
    /// </summary>
    public static async Task<HeldObjects> GatherAsync(
        NodeRequests requests, IEnumerable<ulong> nodes, int largest, Action<ulong, string> silent, CancellationToken cancellationToken)
    {
        var asked = nodes.Select(node => (Node: node, Answer: requests.SummarizeReferencesAsync(node, largest, cancellationToken))).ToList();
        var processes = new List<Proto.ProcessReferences>();
        var silentNodes = new List<ulong>();
        foreach (var (node, answer) in asked)
        {
            try
            {
                var references = await answer.ConfigureAwait(false);
                Check(node, references, largest);
                processes.AddRange(references.Processes.OrderBy(p => p.Process));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                silent(node, e.Message);
                silentNodes.Add(node);
            }
        }

        return new HeldObjects(processes, silentNodes);
    }

    /// <summary>Checks a node's answer before anything of it is used, so queries never meet a malformed id or figure.</summary>
    /// <exception cref="ArgumentException">Something is malformed; the message names the field.</exception>
    public static void Check(ulong node, Proto.NodeReferences references, int largest)
    {
        foreach (var process in references.Processes)
        {
            if (NodeKeys.Parse(process.NodeId, "processes.node_id") != node)
            {
                throw new ArgumentException($"processes.node_id names node {NodeKeys.Parse(process.NodeId, "processes.node_id"):x16}, not the node that answered.");
            }

            if (process.Kinds.Any(k => k.Objects < 0 || k.Bytes < 0 || !Enum.IsDefined(k.Kind))
                || process.Jobs.Any(j => j.Objects < 0 || j.InlineObjects < 0 || j.InlineBytes < 0)
                || process.Largest.Count > largest)
            {
                throw new ArgumentException($"processes.kinds and jobs must be 0 or more, of a known kind, and at most {largest} largest entries.");
            }

            foreach (var job in process.Jobs)
            {
                JobKeys.Parse(job.JobId, "processes.jobs.job_id");
            }

            foreach (var entry in process.Largest)
            {
                if (entry.ObjectId.Length != 28 || entry.Size < 0 || entry.Kind is Proto.ObjectKind.Unspecified or Proto.ObjectKind.Stored || !Enum.IsDefined(entry.Kind))
                {
                    throw new ArgumentException("processes.largest entries must have a 28-byte object_id, a size of 0 or more, and a kind a process holds.");
                }
            }
        }
    }
}
