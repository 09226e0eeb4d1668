using MessagePack;
using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Worker;

namespace Plexus.Data.Sinks;

/// <summary>
/// A write's output: the task's rows go to one file for its block, written aside and renamed into
/// the run's temporary directory (a retried block replaces its own file). No blocks are returned;
/// the meta carries the part written.
/// </summary>
internal sealed class FileOutput<T> : StageOutput
{
    public required FileCommit Commit { get; init; }

    public required FileFormat<T> Format { get; init; }

    public override int Blocks => 0;

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(Commit.BeginPart(task.Block), Format, context.CancellationToken);

    public static WrittenPart PartOf(BlockMeta meta) =>
        MessagePackSerializer.Deserialize<WrittenPart>(meta.Extra ?? throw new InvalidDataException("A write task returned no part."), PackedRows.Options);

    private sealed class Writer(PartAttempt attempt, FileFormat<T> format, CancellationToken cancellationToken) : OutputWriter
    {
        private readonly IBlockFileWriter<T> writer = format.Open(attempt.Stream);

        public override object Sink => writer;

        public override async ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            using (attempt)
            {
                var part = attempt.Complete(await writer.CompleteAsync(cancellationToken).ConfigureAwait(false));
                meta.Rows = [part.Rows];
                meta.Bytes = [part.Bytes];
                meta.Extra = MessagePackSerializer.Serialize(part, PackedRows.Options);
            }

            return [];
        }
    }
}
