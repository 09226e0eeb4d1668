using Plexus.Data.Actors;
using Plexus.Data.Blocks;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>
/// A block task (or an actor call, for stateful stages) submitted and perhaps not yet run: its
/// output refs, its meta ref (tasks only), and the refs it keeps alive until it is done.
/// </summary>
internal sealed class SubmittedBlock(int index, StageStats stage, string source, ObjectRef<byte[]>[] blocks, ObjectRef<byte[]>? meta, ActorCall? call = null)
{
    private Task<BlockMeta>? completion;

    // The actor call making the block (stateful stages): replaced when the block is sent to another actor.
    private ActorCall? call = call;

    public int Index { get; } = index;

    public StageStats Stage { get; } = stage;

    /// <summary>The task's input, as errors name it.</summary>
    public string Source { get; } = source;

    public ObjectRef<byte[]>[] Blocks { get; } = blocks;

    /// <summary>The task's meta; null for an actor call, whose block's header says what the executor needs.</summary>
    /// <remarks>An actor call's block is the latest call's result: no task may take it as an argument before <see cref="CompleteAsync"/>.</remarks>
    public ObjectRef<byte[]>? Meta { get; } = meta;

    /// <summary>Upstream blocks whose tasks feed this one, checked and freed when it is done.</summary>
    public List<SubmittedBlock> Upstream { get; } = [];

    /// <summary>Inputs this task reads (a reduce's runs, or its share of runs other reduces read too), freed when it is done.</summary>
    public List<IDisposable> Holds { get; } = [];

    /// <summary>Waits for the task; its meta, or a <see cref="DataExecutionException"/> naming the stage and block that failed.</summary>
    public Task<BlockMeta> CompleteAsync(CancellationToken cancellationToken) => completion ??= WaitAsync(cancellationToken);

    /// <summary>Stops the task if it has not finished (used when a run no longer needs it), and frees everything.</summary>
    public void Cancel(PlexusRuntime plexus)
    {
        if (Meta is { IsReady: false, IsFailed: false })
        {
            plexus.Cancel(Meta);
            Stage.Cancelled();
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
        call?.Answer();
        PlexusRuntime.Free([.. Blocks]);
        if (Meta is not null)
        {
            PlexusRuntime.Free([Meta]);
        }

        FreeHolds();
    }

    private void FreeHolds()
    {
        foreach (var hold in Holds)
        {
            hold.Dispose();
        }

        Holds.Clear();
    }

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
            while (true)
            {
                try
                {
                    meta = Meta is null ? await ReadHeaderAsync(cancellationToken).ConfigureAwait(false) : BlockMeta.Decode(await Meta.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false));
                    break;
                }
                catch (Exception e) when (call is not null && call.CanResend(e))
                {
                    // Plexus gave up on the actor that held the block (its restarts or retries are spent): another actor maps it.
                    call = await call.ResendAsync().ConfigureAwait(false);
                    Blocks[0] = call.Result;
                }
            }
        }
        catch (Exception e) when (e is TaskFailedException or WorkerCrashedException or ObjectLostException or FunctionUnavailableException or ActorDiedException)
        {
            throw new DataExecutionException(Stage.Name, Index, Source, e);
        }
        finally
        {
            call?.Answer();
        }

        Stage.Completed(meta);
        FreeHolds();
        return meta;
    }

    /// <summary>An actor call's meta, from its block's header: read in place when the block is on this node.</summary>
    private async Task<BlockMeta> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        using var view = await Blocks[0].GetViewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new BlockMeta { Rows = [BlockHeader.RowsOf(view.Span)], Bytes = [view.Span.Length] };
    }
}
