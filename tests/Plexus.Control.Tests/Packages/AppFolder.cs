using System.Security.Cryptography;

namespace Plexus.Control.Tests.Packages;

/// <summary>Writes an application's folder for a package test: files at relative paths, with given or random content.</summary>
internal static class AppFolder
{
    public static void Write(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var (path, content) in files)
        {
            string full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
        }
    }

    /// <summary>A small application: assemblies, a nested resource, an empty file, two files with the same bytes, and one of several chunks.</summary>
    public static Dictionary<string, byte[]> Sample()
    {
        byte[] shared = RandomNumberGenerator.GetBytes(3000);
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["App.dll"] = RandomNumberGenerator.GetBytes(20_000),
            ["App.deps.json"] = "{\"runtimeTarget\":{}}"u8.ToArray(),
            ["App.runtimeconfig.json"] = "{\"runtimeOptions\":{}}"u8.ToArray(),
            ["Lib.dll"] = shared,
            ["LibCopy.dll"] = shared,
            ["de/App.resources.dll"] = RandomNumberGenerator.GetBytes(500),
            ["empty.txt"] = [],
            ["data/large.bin"] = RandomNumberGenerator.GetBytes((5 << 20) / 2),
        };
    }

    /// <summary>
    /// Sets every file's last write time to <paramref name="utc"/>: long enough ago, a file is
    /// old enough for a hash cache to trust its stamp.
    /// </summary>
    public static void SetLastWriteTimes(string folder, DateTime utc)
    {
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, utc);
        }
    }

    /// <summary>
    /// Gives every non-empty file other bytes of the same length, in place, and puts its last write
    /// time back: a change only a scan that reads the files can see. Returns the new contents.
    /// </summary>
    public static Dictionary<string, byte[]> ReplaceContentKeepingStamps(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        var replaced = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, content) in files)
        {
            string full = Path.Combine(folder, path);
            var lastWrite = File.GetLastWriteTimeUtc(full);
            byte[] other = content.Select(b => (byte)~b).ToArray();
            using (var file = new FileStream(full, FileMode.Open, FileAccess.Write))
            {
                // Written over the old bytes rather than replaced, so the file stays the same file.
                file.Write(other);
            }

            File.SetLastWriteTimeUtc(full, lastWrite);
            replaced[path] = other;
        }

        return replaced;
    }

    /// <summary>Asserts that <paramref name="folder"/> holds exactly <paramref name="expected"/>, byte for byte.</summary>
    public static void AssertHolds(IReadOnlyDictionary<string, byte[]> expected, string folder)
    {
        var actual = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual);
        foreach (var (path, content) in expected)
        {
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, path))), $"{path} differs from what was uploaded");
        }
    }
}
