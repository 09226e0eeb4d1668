using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Plan;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// <c>CountTokens</c>: each map tokenizes its lines and counts tokens as spans in one table, cut by
/// hash partition when emitted (<see cref="TokenCounter"/>); each reduce adds its partition's counts in map order.
/// </summary>
internal sealed class TokenCountExchange(RemoteFunction<SpanTokenizer> tokenize) : Exchange
{
    public override string Name => $"CountTokens({tokenize.Name})";

    public override ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows) =>
        new Run(partitions, tokenize);

    private sealed class Run(int partitions, RemoteFunction<SpanTokenizer> tokenize) : ExchangeRun
    {
        public override int Partitions => partitions;

        public override StageOutput MapOutput { get; } = new TokenCountOutput { Tokenize = tokenize, Partitions = partitions };

        public override StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs) =>
            new MergePartialsSource<string, string, long, long> { Inputs = runs, Aggregator = new CountSpec<string>() };
    }
}

/// <summary>A token-counting map's output: one block of <c>(token, count)</c> rows per partition.</summary>
internal sealed class TokenCountOutput : StageOutput
{
    public required RemoteFunction<SpanTokenizer> Tokenize { get; init; }

    public required int Partitions { get; init; }

    public override int Blocks => Partitions;

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(Tokenize.Function, Partitions);

    private sealed class Writer : OutputWriter, IBatchSink<string>, ICharLineSink
    {
        private readonly SpanTokenizer tokenize;
        private readonly BlockBuilder<(string Key, long Accumulator)>[] partitions;
        private readonly TokenCounter counter;

        public Writer(SpanTokenizer tokenize, int partitionCount)
        {
            this.tokenize = tokenize;
            partitions = [.. Enumerable.Range(0, partitionCount).Select(_ => new BlockBuilder<(string Key, long Accumulator)>())];
            counter = new TokenCounter(partitions);
        }

        public override object Sink => this;

        public void Push(ReadOnlySpan<string> lines)
        {
            foreach (var line in lines)
            {
                tokenize(line, new TokenSink(counter));
            }
        }

        public void PushLine(ReadOnlySpan<char> line) => tokenize(line, new TokenSink(counter));

        public override ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            counter.Complete();
            return ValueTask.FromResult(PartitionBlocks.Build(partitions, meta));
        }
    }
}
