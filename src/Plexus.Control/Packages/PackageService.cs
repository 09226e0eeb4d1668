using System.Runtime.CompilerServices;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Packages;

/// <summary>
/// The control service's side of application packages: which blobs it lacks, blob uploads and
/// downloads, and manifests, over a <see cref="PackageStore"/>. Reached through
/// <c>ControlService.Packages</c> by the gRPC service and the in-process client alike.
/// </summary>
/// <remarks>
/// As the rest of the service: a malformed request (a name that is not a SHA-256, a path that
/// leaves the package, content that does not match its name, more than <see cref="PackageLimits"/>)
/// throws <see cref="ArgumentException"/> naming the field; a request that needs what the store
/// lacks throws <see cref="InvalidOperationException"/>, or <see cref="PackageNotFoundException"/>
/// for a blob or package asked for by name.
/// </remarks>
internal sealed class PackageService : IDisposable
{
    private readonly PackageLimits _limits;

    // Created on the first package call: most services (every embedded cluster's) never get one.
    private readonly Lazy<PackageStore> _store;

    // True when the directory is a temporary one of this service's own, deleted with it.
    private readonly bool _ownsDirectory;

    // Uploads verified and stored; for diagnostics and tests (a re-upload must not happen).
    private long _blobsReceived;

    // Downloads started; for diagnostics and tests (a node must fetch each blob once).
    private long _blobsSent;

    /// <param name="directory">Where packages are kept; null for a temporary directory deleted on <see cref="Dispose"/>.</param>
    /// <param name="limits">How large a package, and so a blob, may be.</param>
    public PackageService(string? directory, PackageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _ownsDirectory = directory is null;
        string root = directory ?? Path.Combine(Path.GetTempPath(), $"plexus-packages-{Guid.NewGuid():N}");
        _store = new Lazy<PackageStore>(() => new PackageStore(root), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How many blob uploads this service has verified and stored.</summary>
    public long BlobsReceived => Interlocked.Read(ref _blobsReceived);

    /// <summary>How many blob downloads this service has started.</summary>
    public long BlobsSent => Interlocked.Read(ref _blobsSent);

    private PackageStore Store => _store.Value;

    public Proto.MissingBlobsReply MissingBlobs(Proto.MissingBlobsRequest request)
    {
        if (request.Sha256.Count > _limits.MaxFiles)
        {
            throw new ArgumentException($"sha256 lists {request.Sha256.Count} blobs; ask about at most {_limits.MaxFiles} at once");
        }

        for (int i = 0; i < request.Sha256.Count; i++)
        {
            PackageValidation.Sha256(request.Sha256[i], $"sha256[{i}]");
        }

        var reply = new Proto.MissingBlobsReply();
        reply.Sha256.AddRange(request.Sha256.Where(hash => !Store.HasBlob(hash)));
        return reply;
    }

    /// <summary>Receives one blob; nothing becomes visible unless every chunk arrives and the content matches its name.</summary>
    public async Task<Proto.UploadBlobReply> UploadBlobAsync(IAsyncEnumerable<Proto.BlobChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var reader = chunks.GetAsyncEnumerator(cancellationToken);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.MoveNextAsync().ConfigureAwait(false))
            {
                throw new ArgumentException("sha256: an upload starts with a chunk naming its blob, and none came");
            }

            string sha256 = reader.Current.Sha256;
            PackageValidation.Sha256(sha256, "sha256");
            var writer = Store.CreateBlob(sha256, _limits.MaxTotalBytes);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(reader.Current.Data.Memory, cancellationToken).ConfigureAwait(false);
                while (await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    if (reader.Current.Sha256.Length != 0)
                    {
                        throw new ArgumentException($"sha256: only the first chunk names the blob; a later one names '{reader.Current.Sha256}'");
                    }

                    await writer.WriteAsync(reader.Current.Data.Memory, cancellationToken).ConfigureAwait(false);
                }

                await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _blobsReceived);
        return new Proto.UploadBlobReply();
    }

    /// <summary>Stores a manifest whose blobs are all here, and answers its id. Idempotent.</summary>
    public async Task<Proto.RegisterPackageReply> RegisterPackageAsync(Proto.RegisterPackageRequest request, CancellationToken cancellationToken)
    {
        if (request.Files.Count > _limits.MaxFiles)
        {
            throw new ArgumentException($"files lists {request.Files.Count} files; a package holds at most {_limits.MaxFiles}");
        }

        var manifest = PackageMessages.FromProto(request.Files);
        if (manifest.TotalBytes > _limits.MaxTotalBytes)
        {
            throw new ArgumentException($"files add up to {manifest.TotalBytes} bytes; a package holds at most {_limits.MaxTotalBytes}");
        }

        foreach (var file in manifest.Files)
        {
            long? stored = Store.BlobLength(file.Sha256);
            if (stored is null)
            {
                throw new InvalidOperationException(
                    $"files: the blob of '{file.Path}' ({file.Sha256}) is missing; upload the blobs MissingBlobs lists before registering the package");
            }

            if (stored != file.Size)
            {
                throw new ArgumentException($"files: '{file.Path}' has {file.Size} bytes in the manifest but its blob {file.Sha256} holds {stored}");
            }
        }

        await Store.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return new Proto.RegisterPackageReply { PackageId = manifest.Id };
    }

    public Task<Proto.GetPackageManifestReply> GetPackageManifestAsync(Proto.GetPackageManifestRequest request, CancellationToken cancellationToken)
    {
        PackageValidation.Sha256(request.PackageId, "package_id");
        return Store.ReadManifestAsync(request.PackageId, cancellationToken);
    }

    /// <summary>
    /// Opens the blob at once (so a missing one fails the call before anything is sent) and
    /// returns its chunks; enumerate them to the end or dispose the enumerator, which closes it.
    /// </summary>
    /// <exception cref="PackageNotFoundException">The store has no such blob.</exception>
    public IAsyncEnumerable<Proto.BlobChunk> DownloadBlob(Proto.DownloadBlobRequest request, CancellationToken cancellationToken)
    {
        PackageValidation.Sha256(request.Sha256, "sha256");
        var content = Store.OpenBlob(request.Sha256);
        Interlocked.Increment(ref _blobsSent);
        return Chunks(request.Sha256, content, cancellationToken);

        static async IAsyncEnumerable<Proto.BlobChunk> Chunks(string sha256, FileStream content, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using (content.ConfigureAwait(false))
            {
                await foreach (var chunk in BlobChunks.ReadAsync(sha256, content, cancellationToken).ConfigureAwait(false))
                {
                    yield return chunk;
                }
            }
        }
    }

    /// <summary>Deletes the store's directory when it is a temporary one of this service's own.</summary>
    public void Dispose()
    {
        if (_ownsDirectory && _store.IsValueCreated)
        {
            Directory.Delete(_store.Value.Root, recursive: true);
        }
    }
}
