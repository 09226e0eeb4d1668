using Plexus.Control;

namespace Plexus.ClusterHosting;

/// <summary>
/// Asks a head's control service, from this process, for what `plexus status --json` prints: the
/// tool's own <see cref="StatusReport"/> read through the control service's gRPC client with the
/// cluster's token, so the fixture's waits and the tests' polls start no process. One channel,
/// opened on the first call (the head writes its token file before it serves), closed on dispose.
/// </summary>
internal sealed class HeadStatusClient(string headAddress, string tokenFile, TimeSpan callTimeout) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private ControlClient? _client;

    /// <exception cref="ClusterStatusException">The head did not answer, refused the token, or has written no token yet.</exception>
    public async Task<ClusterStatus> ReadAsync()
    {
        try
        {
            var report = await StatusReport.ReadAsync(Client(), headAddress, CancellationToken.None);
            return ClusterStatus.Parse(report.ToJson());
        }
        catch (Exception e) when (e is ControlServiceUnavailableException or ClusterTokenRejectedException)
        {
            throw new ClusterStatusException($"The control service at {headAddress} gave no status: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ControlClient? client;
        lock (_gate)
        {
            (client, _client) = (_client, null);
        }

        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }

    private ControlClient Client()
    {
        lock (_gate)
        {
            return _client ??= new ControlClient(new Uri($"http://{headAddress}/"), ReadToken()) { CallTimeout = callTimeout };
        }
    }

    private string ReadToken()
    {
        try
        {
            return File.ReadAllText(tokenFile).Trim() is { Length: > 0 } token
                ? token
                : throw new ClusterStatusException($"The head's token file {tokenFile} is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterStatusException($"The head's token file {tokenFile} cannot be read: {e.Message}", e);
        }
    }
}
