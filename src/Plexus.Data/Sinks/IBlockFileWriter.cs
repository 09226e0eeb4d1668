using Plexus.Data.Operators;

namespace Plexus.Data.Sinks;

/// <summary>
/// Writes one block's rows, pushed in batches, as one file in a format, into a stream it does not
/// own (a <see cref="PartAttempt"/>'s).
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface IBlockFileWriter<T> : IBatchSink<T>
{
    /// <summary>Writes what is buffered and the format's trailer, and says how much was written. Call once, after the last push.</summary>
    ValueTask<BlockWriteResult> CompleteAsync(CancellationToken cancellationToken);
}
