namespace Plexus.Control.Storage;

/// <summary>
/// A store on the local disk: one file per key, <c>&lt;directory&gt;/&lt;table&gt;/&lt;key&gt;</c>.
/// A write goes to a temporary file beside its target, is synced, renamed over the target and the
/// directory synced, so after a crash a key holds its old value or its new one, never a mix.
/// </summary>
/// <remarks>
/// Writes are rare (registrations, deaths, actors), so two syncs each are affordable and there is
/// no log to compact. A crash between writing and renaming leaves a temporary file
/// (<c>&lt;key&gt;.&lt;random&gt;.tmp</c>): it is never read, and <see cref="Open"/> removes it.
/// </remarks>
internal sealed class FileControlStore : IControlStore
{
    private const string TemporarySuffix = ".tmp";

    private readonly string _directory;

    private FileControlStore(string directory) => _directory = directory;

    /// <summary>Opens (creating if absent) the store in <paramref name="directory"/> and removes the leftovers of interrupted writes.</summary>
    /// <exception cref="IOException">The directory cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable by this process.</exception>
    public static FileControlStore Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        foreach (string tableDirectory in Directory.EnumerateDirectories(root))
        {
            foreach (string leftover in Directory.EnumerateFiles(tableDirectory).Where(IsTemporary))
            {
                File.Delete(leftover);
            }
        }

        return new FileControlStore(root);
    }

    public async ValueTask<byte[]?> GetAsync(string table, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(table, key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async ValueTask PutAsync(string table, string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        string target = PathOf(table, key);
        string tableDirectory = TableDirectory(table);
        if (!Directory.Exists(tableDirectory))
        {
            Directory.CreateDirectory(tableDirectory);
            DirectorySync.Flush(_directory);
        }

        string temporary = $"{target}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(value, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        DirectorySync.Flush(tableDirectory);
    }

    public ValueTask<bool> DeleteAsync(string table, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string target = PathOf(table, key);
        if (!File.Exists(target))
        {
            return ValueTask.FromResult(false);
        }

        File.Delete(target);
        DirectorySync.Flush(TableDirectory(table));
        return ValueTask.FromResult(true);
    }

    public async ValueTask<IReadOnlyList<KeyValuePair<string, byte[]>>> GetAllAsync(string table, CancellationToken cancellationToken)
    {
        string tableDirectory = TableDirectory(table);
        if (!Directory.Exists(tableDirectory))
        {
            return [];
        }

        var entries = new List<KeyValuePair<string, byte[]>>();
        foreach (string file in Directory.EnumerateFiles(tableDirectory))
        {
            // Anything that is not a key (a temporary file of a write under way) is not an entry.
            string key = Path.GetFileName(file);
            if (StoreNames.IsValid(key) && await GetAsync(table, key, cancellationToken).ConfigureAwait(false) is { } value)
            {
                entries.Add(KeyValuePair.Create(key, value));
            }
        }

        return entries;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static bool IsTemporary(string file) =>
        file.EndsWith(TemporarySuffix, StringComparison.Ordinal) && StoreNames.IsValid(Path.GetFileName(file).Split('.')[0]);

    private string TableDirectory(string table)
    {
        StoreNames.Check(table, "table");
        return Path.Combine(_directory, table);
    }

    private string PathOf(string table, string key)
    {
        StoreNames.Check(key, "key");
        return Path.Combine(TableDirectory(table), key);
    }
}
