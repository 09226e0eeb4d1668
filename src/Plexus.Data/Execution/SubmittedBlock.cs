using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>A block task submitted and perhaps not yet run: its output refs, its meta ref, and the refs it keeps alive until it is done.</summary>
internal sealed class SubmittedBlock(int index, StageStats stage, string source, ObjectRef<byte[]>[] blocks, ObjectRef<byte[]> meta)
{
    public int Index { get; } = index;

    public StageStats Stage { get; } = stage;

    /// <summary>The task's input, as errors name it.</summary>
    public string Source { get; } = source;

    public ObjectRef<byte[]>[] Blocks { get; } = blocks;

    public ObjectRef<byte[]> Meta { get; } = meta;

    /// <summary>Upstream blocks whose tasks feed this one, checked and freed when it is done.</summary>
    public List<SubmittedBlock> Upstream { get; } = [];

    /// <summary>Inputs this task reads (a reduce's runs), freed when it is done.</summary>
    public List<ObjectRef> Holds { get; } = [];

    private Task<BlockMeta>? completion;

    /// <summary>Waits for the task; its meta, or a <see cref="DataExecutionException"/> naming the stage and block that failed.</summary>
    public Task<BlockMeta> CompleteAsync(CancellationToken cancellationToken) => completion ??= WaitAsync(cancellationToken);

    private async Task<BlockMeta> WaitAsync(CancellationToken cancellationToken)
    {
        foreach (var upstream in Upstream)
        {
            await upstream.CompleteAsync(cancellationToken).ConfigureAwait(false);
            upstream.Free();
        }

        Upstream.Clear();
        BlockMeta meta;
        try
        {
            meta = BlockMeta.Decode(await Meta.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is TaskFailedException or WorkerCrashedException or ObjectLostException or FunctionUnavailableException)
        {
            throw new DataExecutionException(Stage.Name, Index, Source, e);
        }

        Stage.Completed(meta);
        PlexusRuntime.Free([.. Holds]);
        Holds.Clear();
        return meta;
    }

    /// <summary>Stops the task if it has not finished (used when a run no longer needs it), and frees everything.</summary>
    public void Cancel(PlexusRuntime plexus)
    {
        if (!Meta.IsReady)
        {
            try
            {
                plexus.Cancel(Meta);
                Stage.Cancelled();
            }
            catch (InvalidOperationException)
            {
                // Finished or gone meanwhile: nothing to stop.
            }
        }

        foreach (var upstream in Upstream)
        {
            upstream.Cancel(plexus);
        }

        Free();
    }

    /// <summary>Frees the task's outputs, its meta and what it held.</summary>
    public void Free()
    {
        PlexusRuntime.Free([.. Blocks, Meta, .. Holds]);
        Holds.Clear();
    }
}
