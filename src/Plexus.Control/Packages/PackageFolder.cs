using System.IO.Enumeration;
using System.Security.Cryptography;

namespace Plexus.Control.Packages;

/// <summary>
/// Computes the manifest of an application's folder: every regular file under it, at any depth,
/// hashed in parallel and streamed (a file is never read into memory whole).
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

    /// <summary>Lists and hashes the files under <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="PackageTooLargeException">It holds more files or bytes than <paramref name="limits"/> allow.</exception>
    /// <exception cref="ArgumentException">A file's name cannot be carried by a package (e.g. it holds a backslash); the message names it.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static async Task<PackageManifest> ScanAsync(string folder, PackageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(limits);
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The application folder '{root}' does not exist.");
        }

        var found = List(root, folder, limits);
        var files = new PackageFile[found.Count];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForAsync(0, found.Count, parallel, async (i, token) =>
            files[i] = await HashAsync(found[i].FullPath, found[i].RelativePath, token).ConfigureAwait(false)).ConfigureAwait(false);
        return PackageManifest.Create(files);
    }

    private static List<(string FullPath, string RelativePath)> List(string root, string folder, PackageLimits limits)
    {
        var entries = new FileSystemEnumerable<(string FullPath, long Length)>(
            root, static (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.Length), Everything)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
        };

        var found = new List<(string, string)>();
        long totalBytes = 0;
        foreach (var (fullPath, length) in entries)
        {
            totalBytes += length;
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

            found.Add((fullPath, relative));
        }

        return found;
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
}
