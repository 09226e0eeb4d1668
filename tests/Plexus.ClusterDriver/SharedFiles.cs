namespace Plexus.ClusterDriver;

/// <summary>
/// Writes the files a test polls for in the shared directory: written aside and moved into place,
/// so a test that sees the file never reads it empty or half written.
/// </summary>
internal static class SharedFiles
{
    public static void Write(string path, string text)
    {
        var aside = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(aside, text);
        File.Move(aside, path, overwrite: true);
    }

    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        var aside = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(aside, text, cancellationToken);
        File.Move(aside, path, overwrite: true);
    }
}
