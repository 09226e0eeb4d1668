namespace Plexus.Data.Files;

/// <summary>
/// Turns what a user passed as a source path into the files to read: a file is itself; a directory
/// is its files, recursively, in ordinal order of their paths; a glob (<see cref="GlobPattern"/>)
/// is the files that match it. Entries whose names start with '_' or '.' are skipped
/// (<see cref="HiddenEntries"/>), and a directory holding a <c>_SUCCESS</c> manifest is exactly the
/// files the manifest lists, so only committed output is read.
/// </summary>
internal static class FileLister
{
    /// <exception cref="FileNotFoundException">The path is neither a file nor a directory, a glob matches no file, or a manifest lists a file that is gone.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory a glob starts from does not exist.</exception>
    /// <exception cref="DataFormatException">A <c>_SUCCESS</c> manifest is not valid.</exception>
    public static IReadOnlyList<FileEntry> List(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (GlobPattern.IsGlob(fullPath))
        {
            return ListGlob(fullPath, path);
        }

        var file = new FileInfo(fullPath);
        if (file.Exists)
        {
            return [FileEntry.Of(file)];
        }

        if (!Directory.Exists(fullPath))
        {
            throw new FileNotFoundException($"The source path {path} is neither a file nor a directory. Check the path, and that this node can see it.", path);
        }

        var files = new List<FileEntry>();
        AddDirectory(new DirectoryInfo(fullPath), files);
        SortByPath(files);
        return files;
    }

    private static void AddDirectory(DirectoryInfo directory, List<FileEntry> files)
    {
        if (SuccessManifest.TryRead(directory.FullName) is { } manifest)
        {
            AddManifestFiles(directory.FullName, manifest, files);
            return;
        }

        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (HiddenEntries.IsHidden(entry.Name))
            {
                continue;
            }

            if (entry is DirectoryInfo subdirectory)
            {
                AddDirectory(subdirectory, files);
            }
            else
            {
                files.Add(FileEntry.Of((FileInfo)entry));
            }
        }
    }

    private static void AddManifestFiles(string directory, SuccessManifest manifest, List<FileEntry> files)
    {
        foreach (var listed in manifest.Files)
        {
            var file = new FileInfo(Path.Combine(directory, listed.Name));
            if (!file.Exists)
            {
                throw new FileNotFoundException(
                    $"The manifest {SuccessManifest.PathIn(directory)} of run {manifest.RunId} lists {file.FullName}, which does not exist: the output was changed after it was committed. Write it again, or delete the manifest to read the files that are there.",
                    file.FullName);
            }

            files.Add(FileEntry.Of(file));
        }
    }

    private static List<FileEntry> ListGlob(string fullPath, string path)
    {
        var glob = GlobPattern.Parse(fullPath);
        if (!Directory.Exists(glob.Root))
        {
            throw new DirectoryNotFoundException($"The directory {glob.Root} of the glob {path} does not exist. Check the path, and that this node can see it.");
        }

        var files = new List<FileEntry>();
        AddMatches(new DirectoryInfo(glob.Root), relativeDirectory: "", glob, files);
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No file matches the glob {path} (files and directories whose names start with '_' or '.' are not matched).", path);
        }

        SortByPath(files);
        return files;
    }

    private static void AddMatches(DirectoryInfo directory, string relativeDirectory, GlobPattern glob, List<FileEntry> files)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (HiddenEntries.IsHidden(entry.Name))
            {
                continue;
            }

            var relative = relativeDirectory.Length == 0 ? entry.Name : relativeDirectory + "/" + entry.Name;
            if (entry is DirectoryInfo subdirectory)
            {
                AddMatches(subdirectory, relative, glob, files);
            }
            else if (glob.Matches(relative))
            {
                files.Add(FileEntry.Of((FileInfo)entry));
            }
        }
    }

    private static void SortByPath(List<FileEntry> files) =>
        files.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
}
