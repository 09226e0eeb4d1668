using System.Text;

namespace Plexus.Data.Files;

/// <summary>
/// The file systems mounted for this process (Linux's <c>/proc/self/mountinfo</c>), to tell whether
/// a path is on network storage, which every node sees alike, or on a disk of its own machine.
/// </summary>
internal sealed class MountTable
{
    private const string MountInfoPath = "/proc/self/mountinfo";

    private static readonly string[] NetworkFileSystems = ["nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "9p", "virtiofs"];

    // Mount points and their file system types, longest mount point first: the first that holds a path is its mount.
    private readonly List<(string MountPoint, string FileSystem)> _mounts;

    private MountTable(List<(string MountPoint, string FileSystem)> mounts) => _mounts = mounts;

    /// <summary>This process's mounts, or an empty table where there is no <c>/proc/self/mountinfo</c> (not Linux).</summary>
    public static MountTable Current() =>
        File.Exists(MountInfoPath) ? Parse(File.ReadAllText(MountInfoPath)) : new MountTable([]);

    /// <summary>Reads the text of a mountinfo file: "id parent dev root mountpoint options [tags] - fstype source superoptions" per line.</summary>
    public static MountTable Parse(string mountInfo)
    {
        var mounts = new List<(string, string)>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length >= 5 && separator > 4 && separator + 1 < fields.Length)
            {
                mounts.Add((Unescape(fields[4]), fields[separator + 1]));
            }
        }

        // Longest first; among equal mount points the later line is the mount on top, which wins.
        var ordered = mounts.Select((m, i) => (m, i)).OrderByDescending(x => x.m.Item1.Length).ThenByDescending(x => x.i).Select(x => x.m).ToList();
        return new MountTable(ordered);
    }

    /// <summary>The type of the file system holding <paramref name="fullPath"/> ("ext4", "nfs4"), or null when no mount holds it.</summary>
    public string? FileSystemOf(string fullPath)
    {
        foreach (var (mountPoint, fileSystem) in _mounts)
        {
            if (Holds(mountPoint, fullPath))
            {
                return fileSystem;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="fullPath"/> is on a network or shared file system.</summary>
    public bool IsNetworkStorage(string fullPath) =>
        FileSystemOf(fullPath) is { } fileSystem
        && (fileSystem.StartsWith("fuse.", StringComparison.Ordinal) || NetworkFileSystems.Contains(fileSystem, StringComparer.Ordinal));

    private static bool Holds(string mountPoint, string path) =>
        mountPoint == "/"
        || (path.StartsWith(mountPoint, StringComparison.Ordinal) && (path.Length == mountPoint.Length || path[mountPoint.Length] == '/'));

    // mountinfo writes space, tab, newline and backslash in paths as octal escapes (\040).
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
