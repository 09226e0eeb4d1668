using System.Security.Cryptography;
using Plexus.Control;
using Plexus.Control.Packages;

namespace Plexus.Hosting.Packages;

/// <summary>
/// A node's copy of the packages its jobs run from: <see cref="EnsureAsync"/> gives the folder of
/// a package, fetching from the control service what this machine lacks. Each blob is fetched
/// once, whichever packages share it, and a package's folder holds links to the blobs, so two
/// versions of an application cost the space of the files that differ.
/// </summary>
/// <remarks>
/// Layout under the cache directory: <c>blobs/&lt;sha256&gt;</c> (verified, read-only),
/// <c>packages/&lt;id&gt;/</c> (the application's files at their paths), and <c>incoming/</c>
/// for what is being fetched. A blob or package folder reaches its name by a rename once complete,
/// so a name that exists is complete: that is the only marker needed, and what a process that
/// stopped midway leaves is never mistaken for a package. Two processes sharing the directory may
/// both fetch the same package; the first rename wins and the other uses its result.
/// </remarks>
internal sealed class PackageCache : IDisposable
{
    // Blobs fetched at once: enough to hide per-call latency, few enough not to hog the link or the disk.
    private const int ParallelDownloads = 4;

    private readonly IControlClient _client;
    private readonly string _blobs;
    private readonly string _packages;
    private readonly string _incoming;

    // Fetches in flight in this process, so concurrent callers share one download.
    private readonly SingleFlight<string, string> _packageFetches = new();
    private readonly SingleFlight<string, string> _blobFetches = new();

    // Cancelled on Dispose: stops fetches no caller can stop alone, since callers share them.
    private readonly CancellationTokenSource _disposing = new();

    /// <param name="cacheDirectory">Where packages are kept; created if absent, and shareable by processes of this machine.</param>
    /// <param name="client">The control service packages are fetched from.</param>
    public PackageCache(string cacheDirectory, IControlClient client)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        string root = Path.GetFullPath(cacheDirectory);
        _blobs = Path.Combine(root, "blobs");
        _packages = Path.Combine(root, "packages");
        _incoming = Path.Combine(root, "incoming");
    }

    /// <summary>
    /// The folder of package <paramref name="packageId"/>, with every file of its manifest at its
    /// path, byte for byte as uploaded. Fetched on first use; calls for a package being fetched
    /// wait for that fetch.
    /// </summary>
    /// <param name="packageId">The package's id (<see cref="PackageManifest.Id"/>).</param>
    /// <param name="cancellationToken">Ends this caller's wait; the fetch goes on for other callers until the cache is disposed.</param>
    /// <exception cref="ArgumentException"><paramref name="packageId"/> is not a SHA-256 in hex.</exception>
    /// <exception cref="PackageNotFoundException">The control service has no such package (or lost a blob of it): upload the application again.</exception>
    /// <exception cref="InvalidDataException">A blob or manifest arrived damaged (its hash is wrong); calling again fetches it again.</exception>
    /// <exception cref="ControlServiceUnavailableException">The control service could not be reached.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public Task<string> EnsureAsync(string packageId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        PackageValidation.Sha256(packageId, nameof(packageId));
        string folder = PackagePath(packageId);
        return Directory.Exists(folder) ? Task.FromResult(folder) : _packageFetches.RunAsync(packageId, FetchPackageAsync, cancellationToken);
    }

    /// <summary>Stops the fetches in flight; their callers get an <see cref="OperationCanceledException"/>.</summary>
    public void Dispose()
    {
        _disposing.Cancel();
        _disposing.Dispose();
    }

    private async Task<string> FetchPackageAsync(string packageId)
    {
        var stopping = _disposing.Token;
        string folder = PackagePath(packageId);
        if (Directory.Exists(folder))
        {
            // Completed by a fetch that finished since the caller looked, here or in another process.
            return folder;
        }

        var manifest = await _client.GetPackageManifestAsync(packageId, stopping).ConfigureAwait(false);
        var blobs = manifest.Files.Select(f => f.Sha256).Distinct(StringComparer.Ordinal);
        var parallel = new ParallelOptions { CancellationToken = stopping, MaxDegreeOfParallelism = ParallelDownloads };
        await Parallel.ForEachAsync(blobs, parallel, async (sha256, token) =>
            await _blobFetches.RunAsync(sha256, FetchBlobAsync, token).ConfigureAwait(false)).ConfigureAwait(false);
        Materialize(manifest, folder);
        return folder;
    }

    private async Task<string> FetchBlobAsync(string sha256)
    {
        var stopping = _disposing.Token;
        string blob = Path.Combine(_blobs, sha256);
        if (File.Exists(blob))
        {
            return blob;
        }

        string temporary = IncomingPath(sha256);
        try
        {
            string actual = await DownloadAsync(sha256, temporary, stopping).ConfigureAwait(false);
            if (!string.Equals(actual, sha256, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Blob {sha256} arrived from the control service with SHA-256 {actual}: it was damaged on the way. Ask for the package again.");
            }

            if (!OperatingSystem.IsWindows())
            {
                // Package folders link to the blob: a program writing to its own files must not change other packages'.
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            Directory.CreateDirectory(_blobs);

            // Replacing a blob another process renamed first is harmless: the same name, the same bytes.
            File.Move(temporary, blob, overwrite: true);
            return blob;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the blob to <paramref name="path"/> and returns the SHA-256 of what arrived, hashed on the way in.</summary>
    private async Task<string> DownloadAsync(string sha256, string path, CancellationToken cancellationToken)
    {
        using var hash = SHA256.Create();
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            // A hash algorithm is a transform that passes its input through: the bytes reach the
            // file unchanged, and the hash is complete after the final block.
            var hashing = new CryptoStream(file, hash, CryptoStreamMode.Write, leaveOpen: true);
            await using (hashing.ConfigureAwait(false))
            {
                await _client.DownloadBlobAsync(sha256, hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushFinalBlockAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return Convert.ToHexStringLower(hash.Hash!);
    }

    /// <summary>Builds the package's folder from its blobs under <c>incoming/</c> and renames it into place.</summary>
    private void Materialize(PackageManifest manifest, string folder)
    {
        string staging = IncomingPath(manifest.Id);
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var file in manifest.Files)
            {
                // Safe to combine: a manifest's paths are relative and have no '..' (PackageManifest checks).
                string target = Path.Combine(staging, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                HardLink.CreateOrCopy(Path.Combine(_blobs, file.Sha256), target);
            }

            Directory.CreateDirectory(_packages);
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another process renamed the same package into place first: its folder holds the same files.
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private string PackagePath(string packageId) => Path.Combine(_packages, packageId);

    private string IncomingPath(string name)
    {
        Directory.CreateDirectory(_incoming);
        return Path.Combine(_incoming, $"{name}.{Guid.NewGuid():N}");
    }
}
