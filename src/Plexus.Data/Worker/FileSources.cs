using Plexus.Data.Operators;
using Plexus.Data.Sources;

namespace Plexus.Data.Worker;

/// <summary>A task that reads one split of a file: on the split's node when the file is only there.</summary>
internal abstract class FileSource : StageSource
{
    public required SourceSplit Split { get; init; }

    public override string? NodeId => Split.NodeId;

    public override string Describe(int block) => Split.Describe();
}

/// <summary>
/// UTF-8 lines: each split reads the lines that start in it. A sink that takes lines as characters
/// gets them decoded into one reused buffer, with no string per line.
/// </summary>
internal sealed class TextFileSource : FileSource
{
    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        if (sink is ICharLineSink lines)
        {
            var decoder = new LineDecoder(lines);
            return Task.FromResult(TextLineReader.ReadUtf8Lines(Split, ref decoder, long.MaxValue, context.CancellationToken));
        }

        return Task.FromResult(TextLineReader.ReadLines(Split, (IBatchSink<string>)sink, long.MaxValue, context.CancellationToken));
    }

    /// <summary>Decodes each UTF-8 line into a buffer that grows to the longest line, and hands it on.</summary>
    private struct LineDecoder(ICharLineSink sink) : IUtf8LineConsumer
    {
        private char[] buffer = new char[4096];

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var most = System.Text.Encoding.UTF8.GetMaxCharCount(line.Length);
            if (most > buffer.Length)
            {
                buffer = new char[most];
            }

            sink.PushLine(buffer.AsSpan(0, System.Text.Encoding.UTF8.GetChars(line, buffer)));
        }
    }
}

/// <summary>CSV records bound to rows of <typeparamref name="T"/>.</summary>
internal sealed class CsvFileSource<T> : FileSource
{
    public required CsvSourceOptions Options { get; init; }

    /// <summary>The quote parity before the split, found by the driver from the parity tasks of the splits before it.</summary>
    public required SplitQuotes Quotes { get; init; }

    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context) =>
        Task.FromResult(CsvSplitReader.Read(Split, Options, Quotes, (IBatchSink<T>)sink, long.MaxValue, context.CancellationToken));
}

/// <summary>Whole Parquet row groups as records of <typeparamref name="T"/>.</summary>
internal sealed class ParquetFileSource<T> : FileSource
    where T : class, new()
{
    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context) =>
        ParquetSplitReader.ReadAsync(Split, (IBatchSink<T>)sink, long.MaxValue, context.CancellationToken);
}

/// <summary>Fixed-size binary records, read in place from a pooled buffer.</summary>
internal sealed class RecordFileSource<T> : FileSource
    where T : unmanaged
{
    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context) =>
        Task.FromResult(RecordReader.Read(Split, (IBatchSink<T>)sink, long.MaxValue, context.CancellationToken));
}
