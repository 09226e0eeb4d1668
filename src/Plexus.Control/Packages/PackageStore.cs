using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Packages;

/// <summary>
/// The control service's packages on disk: blobs at <c>blobs/&lt;sha256&gt;</c>, manifests at
/// <c>manifests/&lt;id&gt;.json</c>, and what is still arriving under <c>incoming/</c>.
/// </summary>
/// <remarks>
/// Every file reaches its name by a rename from <c>incoming/</c> (same file system, so atomic)
/// once complete: a name that exists always holds a whole file, and a cut write leaves nothing
/// under a name. Callers validate names first; the store trusts them to be hex.
/// </remarks>
internal sealed class PackageStore
{
    private readonly string _blobs;
    private readonly string _manifests;
    private readonly string _incoming;

    public PackageStore(string directory)
    {
        Root = Path.GetFullPath(directory);
        _blobs = Path.Combine(Root, "blobs");
        _manifests = Path.Combine(Root, "manifests");
        _incoming = Path.Combine(Root, "incoming");

        // Left by a service that stopped mid-upload: no one will finish those files.
        if (Directory.Exists(_incoming))
        {
            Directory.Delete(_incoming, recursive: true);
        }

        Directory.CreateDirectory(_blobs);
        Directory.CreateDirectory(_manifests);
        Directory.CreateDirectory(_incoming);
    }

    /// <summary>The store's root, a full path.</summary>
    public string Root { get; }

    public bool HasBlob(string sha256) => File.Exists(BlobPath(sha256));

    /// <summary>The blob's length, or null when the store has no such blob.</summary>
    public long? BlobLength(string sha256)
    {
        var blob = new FileInfo(BlobPath(sha256));
        return blob.Exists ? blob.Length : null;
    }

    /// <summary>Starts receiving a blob; each call writes its own temporary file, so concurrent uploads of one blob do not mix.</summary>
    public BlobWriter CreateBlob(string sha256, long maxBytes) =>
        new(sha256, IncomingPath(sha256), BlobPath(sha256), maxBytes);

    /// <exception cref="PackageNotFoundException">The store has no such blob.</exception>
    public FileStream OpenBlob(string sha256)
    {
        try
        {
            return new FileStream(BlobPath(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException e)
        {
            throw new PackageNotFoundException($"sha256: there is no blob {sha256}; upload it first", e);
        }
    }

    public async Task WriteManifestAsync(PackageManifest manifest, CancellationToken cancellationToken)
    {
        string json = JsonFormatter.Default.Format(PackageMessages.ToReply(manifest));
        string temporary = IncomingPath(manifest.Id);
        try
        {
            await File.WriteAllTextAsync(temporary, json, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, ManifestPath(manifest.Id), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <exception cref="PackageNotFoundException">No manifest has this id.</exception>
    public async Task<Proto.GetPackageManifestReply> ReadManifestAsync(string packageId, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(ManifestPath(packageId), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new PackageNotFoundException($"package_id: there is no package {packageId}; register it first", e);
        }

        return JsonParser.Default.Parse<Proto.GetPackageManifestReply>(json);
    }

    private string BlobPath(string sha256) => Path.Combine(_blobs, sha256);

    private string ManifestPath(string packageId) => Path.Combine(_manifests, packageId + ".json");

    private string IncomingPath(string name) => Path.Combine(_incoming, $"{name}.{Guid.NewGuid():N}");
}
