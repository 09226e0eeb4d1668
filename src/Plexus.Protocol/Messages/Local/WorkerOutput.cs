using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// Lines a worker of a job's package wrote to its standard output or error, which its node passes
/// to the drivers of the jobs it serves (on any node), so a program sees what its tasks print.
/// </summary>
[MemoryPackable]
internal sealed partial class WorkerOutput : Message
{
    /// <summary>The operating-system process id of the worker.</summary>
    public required int Pid { get; init; }

    /// <summary>Whether the lines came from standard error.</summary>
    public bool Error { get; init; }

    public required string[] Lines { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Lines, "WorkerOutput.Lines");
}
