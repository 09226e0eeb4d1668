using System.Runtime.InteropServices;

namespace Plexus.Hosting.Packages;

/// <summary>
/// Gives a file a second name: a hard link where the platform and file system allow (no bytes
/// copied, no space used), a copy otherwise (Windows here, another file system, a full link count).
/// </summary>
internal static partial class HardLink
{
    /// <summary>Makes <paramref name="target"/> name the content of <paramref name="source"/>; <paramref name="target"/> must not exist.</summary>
    /// <exception cref="IOException">Neither a link nor a copy could be made.</exception>
    public static void CreateOrCopy(string source, string target)
    {
        if (!OperatingSystem.IsWindows() && Link(source, target) == 0)
        {
            return;
        }

        File.Copy(source, target, overwrite: false);
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existingPath, string newPath);
}
