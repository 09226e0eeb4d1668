namespace Plexus.Data;

/// <summary>What a write made: its files (one per block, named <c>part-000017.ext</c>), on which node, and the run's summary.</summary>
/// <param name="Directory">The output directory.</param>
/// <param name="Files">The files written, in block order.</param>
/// <param name="Rows">Rows written.</param>
/// <param name="Bytes">Bytes written.</param>
/// <param name="Summary">What each stage did.</param>
public sealed record WriteResult(string Directory, IReadOnlyList<WrittenFile> Files, long Rows, long Bytes, RunSummary Summary);

/// <summary>One file a write made.</summary>
/// <param name="Name">Its name in the output directory.</param>
/// <param name="NodeId">The node whose disk holds it.</param>
/// <param name="Rows">Its rows.</param>
/// <param name="Bytes">Its size.</param>
public sealed record WrittenFile(string Name, string NodeId, long Rows, long Bytes);
