using System.IO.Enumeration;
using System.Security.Cryptography;

namespace Plexus.Control.Packages;

/// <summary>
/// Computes the manifest of an application's folder: every regular file under it, at any depth,
/// hashed in parallel and streamed (a file is never read into memory whole), or recalled from a
/// <see cref="FileHashCache"/> when it has not changed since an earlier scan.
/// </summary>
/// <remarks>
/// Symbolic links are left out, files and folders alike: a link can point outside the folder,
/// and a package must hold only what the folder holds. Hidden files are included.
/// </remarks>
internal static class PackageFolder
{
    // Large enough for sequential reads to stream; small enough for many files in parallel.
    private const int ReadBufferSize = 1 << 16;

    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
    };

    /// <summary>
    /// Lists the files under <paramref name="folder"/> and hashes those <paramref name="hashes"/>
    /// does not know unchanged; the manifest is the same as without a cache.
    /// </summary>
    /// <param name="folder">The application's folder.</param>
    /// <param name="limits">The most files and bytes the package may hold.</param>
    /// <param name="hashes">The hashes of earlier scans, updated with this one's; null: every file is hashed.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="PackageTooLargeException">It holds more files or bytes than <paramref name="limits"/> allow.</exception>
    /// <exception cref="ArgumentException">A file's name cannot be carried by a package (e.g. it holds a backslash); the message names it.</exception>
    /// <exception cref="IOException">A file could not be read. A cache that cannot be read or written is never a reason to fail.</exception>
    public static async Task<PackageManifest> ScanAsync(string folder, PackageLimits limits, FileHashCache? hashes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(limits);
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The application folder '{root}' does not exist.");
        }

        // The clock is read before the files are listed: a write after that gets a later stamp
        // than any this scan trusts, even on a coarse clock.
        var known = hashes?.Open(root);
        var found = List(root, folder, limits);
        var files = new PackageFile[found.Count];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForAsync(0, found.Count, parallel, async (i, token) =>
            files[i] = await RecallOrHashAsync(found[i], known, token).ConfigureAwait(false)).ConfigureAwait(false);
        var manifest = PackageManifest.Create(files);
        known?.Save();
        return manifest;
    }

    private static List<ListedFile> List(string root, string folder, PackageLimits limits)
    {
        var entries = new FileSystemEnumerable<(string FullPath, FileStamp Stamp)>(
            root, static (ref FileSystemEntry entry) => (entry.ToFullPath(), FileStamp.Of(ref entry)), Everything)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
        };

        var found = new List<ListedFile>();
        long totalBytes = 0;
        foreach (var (fullPath, stamp) in entries)
        {
            totalBytes += stamp.Length;
            if (found.Count == limits.MaxFiles || totalBytes > limits.MaxTotalBytes)
            {
                throw new PackageTooLargeException(
                    $"The application folder '{root}' holds more than {limits.MaxFiles} files or {limits.MaxTotalBytes} bytes, " +
                    "the most a package may hold. Start the driver from the application's own output folder " +
                    "(dotnet publish), which holds only what the program needs.");
            }

            string relative = Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
            if (PackageValidation.PathProblem(relative) is { } problem)
            {
                throw new ArgumentException($"The file '{fullPath}' cannot be part of a package: {problem}. Rename or remove it.", nameof(folder));
            }

            found.Add(new ListedFile(fullPath, relative, stamp));
        }

        return found;
    }

    private static async Task<PackageFile> RecallOrHashAsync(ListedFile file, FolderHashes? known, CancellationToken cancellationToken)
    {
        if (known is not null && known.TryRecall(file.RelativePath, file.Stamp, out string? sha256))
        {
            return new PackageFile(file.RelativePath, file.Stamp.Length, sha256);
        }

        var hashed = await HashAsync(file.FullPath, file.RelativePath, cancellationToken).ConfigureAwait(false);
        known?.Remember(file.RelativePath, file.Stamp, hashed);
        return hashed;
    }

    private static async Task<PackageFile> HashAsync(string fullPath, string relativePath, CancellationToken cancellationToken)
    {
        var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            byte[] hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);

            // The size is what was hashed, so the two agree even if the file grew since it was listed.
            return new PackageFile(relativePath, file.Position, Convert.ToHexStringLower(hash));
        }
    }

    private readonly record struct ListedFile(string FullPath, string RelativePath, FileStamp Stamp);
}
