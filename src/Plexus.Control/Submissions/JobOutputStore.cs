namespace Plexus.Control.Submissions;

/// <summary>
/// The output of submitted drivers, each as one byte stream addressed by offset from its first byte.
/// Each submission keeps at most <see cref="Limit"/> bytes: the most recent; the oldest are dropped
/// as more arrive, so a reader asking for them is served from the first byte kept.
/// </summary>
/// <remarks>
/// Appends are idempotent by offset, which is what lets a node send again whatever it is not sure
/// arrived: bytes before the end are skipped, and an append starting past the end is refused
/// (nothing is written) with the end, from which the node sends again. So no byte is lost or
/// stored twice, whatever is retried. Every operation runs under the store's one lock: appends are
/// rare and batched (a few per second per running driver), reads are bounded by <c>max</c>.
/// </remarks>
internal abstract class JobOutputStore : IDisposable
{
    // Guards every submission's stream and the subclass's files or buffers.
    private readonly Lock _lock = new();

    protected JobOutputStore(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    /// <summary>The most bytes of one submission's output kept; older ones are dropped.</summary>
    public long Limit { get; }

    /// <summary>How many bytes of <paramref name="submissionId"/>'s output arrived (kept or dropped): where the next append starts.</summary>
    public long EndOf(string submissionId)
    {
        lock (_lock)
        {
            return Extent(submissionId).End;
        }
    }

    /// <summary>
    /// Adds <paramref name="data"/>, which starts at <paramref name="offset"/> of the output: the part
    /// already stored is skipped; nothing is stored when <paramref name="offset"/> is past the end.
    /// </summary>
    /// <returns>The end of the output after the append: where the sender continues.</returns>
    public long Append(string submissionId, long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            var (start, end) = Extent(submissionId);
            if (offset > end || offset + data.Length <= end)
            {
                return end;
            }

            var fresh = data[(int)(end - offset)..];
            Write(submissionId, fresh);
            end += fresh.Length;
            if (end - start > Limit)
            {
                DropBefore(submissionId, end - Limit);
            }

            return end;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> bytes from <paramref name="offset"/>, or from the first byte kept
    /// when those before it were dropped; the chunk says where its bytes start. Empty at the end.
    /// </summary>
    public JobOutputChunk Read(string submissionId, long offset, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        lock (_lock)
        {
            var (start, end) = Extent(submissionId);
            long from = Math.Clamp(offset, start, end);
            int count = (int)Math.Min(max, end - from);
            return new JobOutputChunk(from, count == 0 ? [] : ReadKept(submissionId, from - start, count));
        }
    }

    /// <summary>Forgets a submission's output.</summary>
    public void Delete(string submissionId)
    {
        lock (_lock)
        {
            Remove(submissionId);
        }
    }

    public abstract void Dispose();

    /// <summary>The first byte kept and the end, (0, 0) for a submission with no output. Under the lock.</summary>
    protected abstract (long Start, long End) Extent(string submissionId);

    /// <summary>Appends bytes at the end. Under the lock.</summary>
    protected abstract void Write(string submissionId, ReadOnlySpan<byte> data);

    /// <summary>Drops the bytes before <paramref name="newStart"/>. Under the lock.</summary>
    protected abstract void DropBefore(string submissionId, long newStart);

    /// <summary>Reads <paramref name="count"/> kept bytes from <paramref name="keptOffset"/> (0: the first byte kept). Under the lock.</summary>
    protected abstract byte[] ReadKept(string submissionId, long keptOffset, int count);

    /// <summary>Forgets the output. Under the lock.</summary>
    protected abstract void Remove(string submissionId);
}

/// <summary>Bytes of a submission's output starting at <see cref="Offset"/>.</summary>
internal readonly record struct JobOutputChunk(long Offset, byte[] Data);
