namespace Plexus.Control.State;

/// <summary>What a log file may be called in a request: a plain name in the node's log directory, never a path out of it.</summary>
internal static class LogFileNames
{
    public static bool IsPlain(string name) =>
        name.Length is > 0 and <= 255 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
