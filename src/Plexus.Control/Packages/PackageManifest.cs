using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Plexus.Control.Packages;

/// <summary>
/// The files of an application's folder, sorted by path, each naming the blob that holds its
/// content; the package's <see cref="Id"/> is the SHA-256 of their canonical encoding, so the
/// same folder gives the same id on any machine, and one changed byte gives another id.
/// </summary>
/// <remarks>
/// A manifest is valid by construction (<see cref="Create"/> checks every path and hash and
/// refuses a path listed twice): a node materializes the files at these paths, so an instance
/// read from anywhere can be trusted to stay inside its folder.
/// </remarks>
internal sealed class PackageManifest
{
    // Leads the encoding, so a future format cannot give an id that collides with this one's.
    private static readonly byte[] EncodingTag = "plexus-package-v1\n"u8.ToArray();

    private PackageManifest(string id, PackageFile[] files, long totalBytes)
    {
        Id = id;
        Files = files;
        TotalBytes = totalBytes;
    }

    /// <summary>The package's id: SHA-256 (lower-case hex) of the canonical encoding of <see cref="Files"/>.</summary>
    public string Id { get; }

    /// <summary>The files, sorted by path (ordinal), no path twice.</summary>
    public IReadOnlyList<PackageFile> Files { get; }

    /// <summary>The sum of the files' sizes.</summary>
    public long TotalBytes { get; }

    /// <summary>Sorts <paramref name="files"/> by path and computes the id.</summary>
    /// <exception cref="ArgumentException">A path or hash is malformed, a size negative, or a path listed twice; the message names the field (<c>files[i].path</c>, in the order given).</exception>
    public static PackageManifest Create(IEnumerable<PackageFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var given = files.ToArray();
        long totalBytes = 0;
        for (int i = 0; i < given.Length; i++)
        {
            var file = given[i] ?? throw new ArgumentException($"files[{i}] is null");
            PackageValidation.RelativePath(file.Path, $"files[{i}].path");
            PackageValidation.Sha256(file.Sha256, $"files[{i}].sha256");
            if (file.Size < 0)
            {
                throw new ArgumentException($"files[{i}].size must not be negative, got {file.Size}");
            }

            totalBytes += file.Size;
        }

        var sorted = given.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        for (int i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i].Path, sorted[i - 1].Path, StringComparison.Ordinal))
            {
                throw new ArgumentException($"files: '{sorted[i].Path}' is listed twice");
            }
        }

        return new PackageManifest(ComputeId(sorted), sorted, totalBytes);
    }

    /// <summary>
    /// The encoding: a tag, the file count, then per file the UTF-8 path's length and bytes, the
    /// size, and the 32 bytes of the hash, integers little-endian. Lengths make it unambiguous
    /// (no two lists of files encode alike).
    /// </summary>
    private static string ComputeId(PackageFile[] sorted)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[sizeof(long)];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.AppendData(EncodingTag);
        BinaryPrimitives.WriteInt64LittleEndian(number, sorted.Length);
        hash.AppendData(number);
        foreach (var file in sorted)
        {
            byte[] path = Encoding.UTF8.GetBytes(file.Path);
            BinaryPrimitives.WriteInt64LittleEndian(number, path.Length);
            hash.AppendData(number);
            hash.AppendData(path);
            BinaryPrimitives.WriteInt64LittleEndian(number, file.Size);
            hash.AppendData(number);
            Convert.FromHexString(file.Sha256, digest, out _, out _);
            hash.AppendData(digest);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
