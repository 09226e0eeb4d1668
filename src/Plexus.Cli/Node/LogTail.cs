namespace Plexus.Cli.Node;

/// <summary>The last lines of a log, for a message about a process that failed to start.</summary>
internal static class LogTail
{
    /// <summary>How much of a log a failed start leaves on the terminal.</summary>
    public const int Lines = 30;

    /// <summary>The last <see cref="Lines"/> lines of <paramref name="path"/>, or one line saying why it cannot be read.</summary>
    public static IReadOnlyList<string> Read(string path)
    {
        try
        {
            return File.ReadLines(path).TakeLast(Lines).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"(cannot read the log: {e.Message})"];
        }
    }
}
