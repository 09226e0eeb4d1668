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
