using System.Diagnostics;

namespace Plexus.Control.Storage;

/// <summary>Opens the store a <see cref="ControlStorage"/> names.</summary>
internal static class ControlStores
{
    /// <summary>Opens the store; <paramref name="clusterId"/> keeps the keys of clusters sharing a Redis server apart.</summary>
    /// <exception cref="ControlStorageUnavailableException">A Redis server could not be reached within <see cref="RedisControlStore.Timeout"/>.</exception>
    /// <exception cref="IOException">A store directory cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">A store directory is not writable by this process.</exception>
    public static IControlStore Open(ControlStorage storage, ulong clusterId) => storage switch
    {
        ControlStorage.InMemory => new InMemoryControlStore(),
        ControlStorage.FileDirectory file => FileControlStore.Open(file.Directory),
        ControlStorage.Redis redis => RedisControlStore.Connect(redis.Host, redis.Port, redis.Database, clusterId),
        _ => throw new UnreachableException($"No store for {storage}."),
    };
}
