using Plexus.Control;
using Plexus.Control.Packages;

namespace Plexus.Hosting.Packages;

/// <summary>
/// Uploads an application's folder to the cluster as a package: only the files whose content the
/// control service lacks are sent, so a second upload of the same folder, or of a new build that
/// changed one assembly, sends little or nothing.
/// </summary>
internal static class PackageUploader
{
    // Blobs sent at once: enough to hide per-call latency, few enough not to hog the link or the disk.
    private const int ParallelUploads = 4;

    // Under the user's cache directory; where a driver's hash cache is kept.
    private const string HashCacheFolder = "package-hashes";

    /// <summary>
    /// <see cref="UploadAsync(IControlClient, string, FileHashCache?, CancellationToken)"/> with the
    /// hash cache in <see cref="UserCacheDirectory"/>, so a driver started again reads only the files that changed.
    /// </summary>
    public static Task<PackageManifest> UploadAsync(IControlClient client, string folder, CancellationToken cancellationToken) =>
        UploadAsync(client, folder, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>
    /// As <see cref="UploadAsync(IControlClient, string, CancellationToken)"/>, with the cache directory
    /// found in <paramref name="environment"/> instead of the process's (a tool run in-process by tests).
    /// </summary>
    public static Task<PackageManifest> UploadAsync(IControlClient client, string folder, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        string? cacheDirectory = UserCacheDirectory.Find(environment);
        var hashes = cacheDirectory is null ? null : new FileHashCache(Path.Combine(cacheDirectory, HashCacheFolder));
        return UploadAsync(client, folder, hashes, cancellationToken);
    }

    /// <summary>
    /// Computes the folder's manifest, uploads the blobs the service lacks, registers the
    /// manifest, and returns it (its <see cref="PackageManifest.Id"/> names the package).
    /// </summary>
    /// <param name="client">The control service to upload to.</param>
    /// <param name="folder">The application's folder, usually <see cref="AppContext.BaseDirectory"/>.</param>
    /// <param name="hashes">The hashes of earlier scans, so that unchanged files are not read again; null: every file is hashed.</param>
    /// <param name="cancellationToken">Stops the upload; blobs sent completely stay on the service, a blob cut midway is dropped.</param>
    /// <exception cref="PackageTooLargeException">The folder holds more than <see cref="PackageLimits.Default"/> allows.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">A file changed while it was uploaded (the service refused its content; with <paramref name="hashes"/>, also after one more scan that read every file), or its name cannot be carried by a package.</exception>
    /// <exception cref="ControlServiceUnavailableException">The service could not be reached; uploading again sends only what is still missing.</exception>
    public static async Task<PackageManifest> UploadAsync(IControlClient client, string folder, FileHashCache? hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var manifest = await PackageFolder.ScanAsync(folder, PackageLimits.Default, hashes, cancellationToken).ConfigureAwait(false);
        try
        {
            await UploadMissingBlobsAsync(client, folder, manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException) when (hashes is not null)
        {
            // The service refused a file's bytes as not those of its hash: the file changed while
            // it was sent, or the cache vouched for it although it changed (a tool that copies
            // files may put their last write times back). Once, read every file again.
            hashes.Forget(folder);
            manifest = await PackageFolder.ScanAsync(folder, PackageLimits.Default, hashes, cancellationToken).ConfigureAwait(false);
            await UploadMissingBlobsAsync(client, folder, manifest, cancellationToken).ConfigureAwait(false);
        }

        string id = await client.RegisterPackageAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(id, manifest.Id, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The control service registered the package of '{folder}' as {id}, but its manifest's id is {manifest.Id}: " +
                "the service runs another version of Plexus. Run the same version on the driver and the cluster.");
        }

        return manifest;
    }

    private static async Task UploadMissingBlobsAsync(IControlClient client, string folder, PackageManifest manifest, CancellationToken cancellationToken)
    {
        // One path per content: two files with the same bytes are one blob.
        var pathByBlob = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            pathByBlob.TryAdd(file.Sha256, file.Path);
        }

        var missing = await client.MissingBlobsAsync([.. pathByBlob.Keys], cancellationToken).ConfigureAwait(false);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = ParallelUploads };
        await Parallel.ForEachAsync(missing, parallel, async (sha256, token) =>
        {
            var content = File.OpenRead(Path.Combine(folder, pathByBlob[sha256]));
            await using (content.ConfigureAwait(false))
            {
                await client.UploadBlobAsync(sha256, content, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }
}
