using System.Diagnostics;
using System.Globalization;

namespace Plexus.Control.Storage;

/// <summary>Opens the store a <see cref="ControlStorage"/> names.</summary>
internal static class ControlStores
{
    /// <summary>Opens the store; <paramref name="clusterId"/> keeps the entries of clusters sharing a directory or a Redis server apart.</summary>
    /// <exception cref="ControlStorageUnavailableException">A Redis server could not be reached within <see cref="RedisControlStore.Timeout"/>, or a store directory cannot be created or read.</exception>
    public static IControlStore Open(ControlStorage storage, ulong clusterId) => storage switch
    {
        ControlStorage.InMemory => new InMemoryControlStore(),
        // A directory per cluster, as Redis keys are: a head started with a new token is a new
        // cluster, and must not take the nodes and actors of the one before for its own.
        ControlStorage.FileDirectory file => OpenDirectory(Path.Combine(file.Directory, clusterId.ToString("x16", CultureInfo.InvariantCulture))),
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
