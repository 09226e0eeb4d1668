namespace Plexus.Protocol.Transport;

/// <summary>
/// Accepts connections on a listener until it is stopped or disposed, handing each to its server
/// without waiting for it. A failing accept (out of file descriptors, say) is reported and tried
/// again a little later: a listener that anyone can reach must not stop accepting for good.
/// </summary>
internal static class AcceptLoop
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(
        ITransportListener listener, Func<ITransportConnection, Task> serve, Action<Exception> acceptFailed, TimeProvider time, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ITransportConnection transport;
            try
            {
                transport = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                acceptFailed(e);
                await Task.Delay(RetryDelay, time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            _ = serve(transport);
        }
    }
}
