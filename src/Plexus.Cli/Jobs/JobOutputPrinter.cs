using System.Globalization;
using System.Text;
using Plexus.Control;

namespace Plexus.Cli.Jobs;

/// <summary>
/// Prints a submitted job's output as the head streams it: the bytes as the driver printed them
/// (decoded as UTF-8 across chunk boundaries), and a note on standard error where the head no
/// longer kept the oldest ones.
/// </summary>
internal static class JobOutputPrinter
{
    /// <summary>Prints from <paramref name="offset"/> until the stream ends (with <paramref name="follow"/>: until the job ended).</summary>
    /// <returns>Where the output printed ends.</returns>
    public static async Task<long> PrintAsync(
        IControlClient client, string submissionId, long offset, bool follow, CliContext context, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        await foreach (var chunk in client.ReadJobLogsAsync(submissionId, offset, follow, cancellationToken).ConfigureAwait(false))
        {
            if (chunk.Offset > offset)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[the first {chunk.Offset} bytes of {submissionId}'s output were dropped: the cluster keeps the most recent of each job's output]")).ConfigureAwait(false);
            }

            var text = new char[decoder.GetCharCount(chunk.Data.Span, flush: false)];
            decoder.GetChars(chunk.Data.Span, text, flush: false);
            await context.Output.WriteAsync(text).ConfigureAwait(false);
            await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            offset = chunk.Offset + chunk.Data.Length;
        }

        return offset;
    }
}
