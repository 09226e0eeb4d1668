using Plexus.Control;

namespace Plexus.Cluster.Submissions;

/// <summary>
/// Sends a driver's output (its <see cref="DriverOutputLog"/>) to the control service in order, in
/// batches, until the log is complete and all of it was taken.
/// </summary>
/// <remarks>
/// No byte is lost or sent twice however calls fail: each batch says where it starts, the service
/// skips what it has and answers how much it has (its end), and the next batch starts there, read
/// again from the file. A call that fails because the service is unreachable is made again after
/// <see cref="RetryDelay"/>; one the service refuses (the submission is not running here any more:
/// its node was declared dead) ends the sending.
/// </remarks>
internal sealed class JobOutputSender(DriverOutputLog log, Func<long, ReadOnlyMemory<byte>, CancellationToken, Task<long>> append)
{
    /// <summary>The most bytes one call carries.</summary>
    public const int MaxBatch = 256 << 10;

    /// <summary>How long lines gather after one is written before they are sent together.</summary>
    public static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The default of <see cref="RetryDelay"/>, 1 s.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before sending again to a service that could not be reached. Default <see cref="DefaultRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = DefaultRetryDelay;

    /// <summary>How much of the output the service has, as it last said.</summary>
    public long Sent { get; private set; }

    /// <summary>Sends until the log is complete and the service has all of it.</summary>
    /// <returns>True when the service took all of it; false when it refused the submission (the message is in <paramref name="refusal"/>).</returns>
    public async Task<bool> RunAsync(Action<string> refusal, CancellationToken cancellationToken)
    {
        while (true)
        {
            var written = log.Written.Next;
            // Completed before Length: once complete, the length read after it is final.
            bool complete = log.Completed;
            long length = log.Length;
            if (Sent < length)
            {
                var batch = log.Read(Sent, (int)Math.Min(MaxBatch, length - Sent));
                try
                {
                    Sent = await append(Sent, batch, cancellationToken).ConfigureAwait(false);
                }
                catch (ControlServiceUnavailableException)
                {
                    await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    refusal(e.Message);
                    return false;
                }

                continue;
            }

            if (complete)
            {
                return true;
            }

            await written.WaitAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(BatchDelay, cancellationToken).ConfigureAwait(false);
        }
    }
}
