using System.Diagnostics;

namespace Plexus.Control.Storage;

/// <summary>Opens the store a <see cref="ControlStorage"/> names.</summary>
internal static class ControlStores
{
    /// <summary>Opens the store; <paramref name="clusterId"/> keeps the keys of clusters sharing a Redis server apart.</summary>
    /// <exception cref="ControlStorageUnavailableException">A Redis server could not be reached within <see cref="RedisControlStore.Timeout"/>, or a store directory cannot be created or read.</exception>
    public static IControlStore Open(ControlStorage storage, ulong clusterId) => storage switch
    {
        ControlStorage.InMemory => new InMemoryControlStore(),
        ControlStorage.FileDirectory file => OpenDirectory(file.Directory),
        ControlStorage.Redis redis => RedisControlStore.Connect(redis.Host, redis.Port, redis.Database, clusterId),
        _ => throw new UnreachableException($"No store for {storage}."),
    };

    private static FileControlStore OpenDirectory(string directory)
    {
        try
        {
            return FileControlStore.Open(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlStorageUnavailableException(
                $"The control service's storage directory {directory} cannot be used: {e.Message} Give a directory this process can write.", e);
        }
    }
}
