using StackExchange.Redis;

namespace Plexus.Control.Storage;

/// <summary>
/// A store in a Redis server: one hash per table, <c>plexus:&lt;cluster id&gt;:&lt;table&gt;</c>
/// (<c>HSET/HGET/HDEL/HGETALL</c>), so clusters with different tokens can share one server and
/// one database.
/// </summary>
/// <remarks>
/// Connecting and every command are bounded by <see cref="Timeout"/>: a server that is down or
/// silent fails the call with <see cref="ControlStorageUnavailableException"/> naming the server,
/// never a hang. The password, when the server wants one, is read from
/// <see cref="PasswordVariable"/>, so it never appears on a command line.
/// </remarks>
internal sealed class RedisControlStore : IControlStore
{
    /// <summary>The environment variable holding the Redis password (unset or empty: none).</summary>
    public const string PasswordVariable = "PLEXUS_REDIS_PASSWORD";

    /// <summary>How long a connection attempt or a command may take before it fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _keyPrefix;
    private readonly string _address;

    private RedisControlStore(ConnectionMultiplexer connection, int database, ulong clusterId, string address)
    {
        _connection = connection;
        _database = connection.GetDatabase(database);
        _keyPrefix = $"plexus:{clusterId:x16}:";
        _address = address;
    }

    /// <summary>Connects to the server at <paramref name="host"/>:<paramref name="port"/>, database <paramref name="database"/>.</summary>
    /// <exception cref="ControlStorageUnavailableException">The server could not be reached or refused the connection within <see cref="Timeout"/>.</exception>
    public static RedisControlStore Connect(string host, int port, int database, ulong clusterId)
    {
        string address = $"redis://{host}:{port}/{database}";
        var options = new ConfigurationOptions
        {
            EndPoints = { { host, port } },
            DefaultDatabase = database,
            Password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } password ? password : null,
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ConnectTimeout = (int)Timeout.TotalMilliseconds,
            SyncTimeout = (int)Timeout.TotalMilliseconds,
            AsyncTimeout = (int)Timeout.TotalMilliseconds,
            ClientName = "plexus-control",
        };
        try
        {
            var connection = ConnectionMultiplexer.Connect(options);
            return new RedisControlStore(connection, database, clusterId, address);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Unavailable(address, e);
        }
    }

    public ValueTask<byte[]?> GetAsync(string table, string key, CancellationToken cancellationToken) =>
        new(CallAsync(async () => (byte[]?)await _database.HashGetAsync(HashOf(table), Field(key)).ConfigureAwait(false), cancellationToken));

    public ValueTask PutAsync(string table, string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
        new(CallAsync(() => _database.HashSetAsync(HashOf(table), Field(key), value.ToArray()), cancellationToken));

    public ValueTask<bool> DeleteAsync(string table, string key, CancellationToken cancellationToken) =>
        new(CallAsync(() => _database.HashDeleteAsync(HashOf(table), Field(key)), cancellationToken));

    public ValueTask<IReadOnlyList<KeyValuePair<string, byte[]>>> GetAllAsync(string table, CancellationToken cancellationToken) =>
        new(CallAsync<IReadOnlyList<KeyValuePair<string, byte[]>>>(async () =>
        {
            var entries = await _database.HashGetAllAsync(HashOf(table)).ConfigureAwait(false);
            return entries.Select(static e => KeyValuePair.Create(e.Name.ToString(), (byte[])e.Value!)).ToArray();
        }, cancellationToken));

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);

    private static ControlStorageUnavailableException Unavailable(string address, Exception e) => new(
        $"The control service's storage at {address} is unavailable: {e.Message} Check that the Redis server is running and reachable, and that {PasswordVariable} holds its password if it requires one.",
        e);

    private static RedisValue Field(string key)
    {
        StoreNames.Check(key, "key");
        return key;
    }

    // Commands take no cancellation token: each is bounded by the client's timeout instead.
    private async Task<T> CallAsync<T>(Func<Task<T>> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Unavailable(_address, e);
        }
    }

    private RedisKey HashOf(string table)
    {
        StoreNames.Check(table, "table");
        return _keyPrefix + table;
    }
}
