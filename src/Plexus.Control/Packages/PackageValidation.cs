namespace Plexus.Control.Packages;

/// <summary>
/// The rules for the names in a package: blob names are SHA-256 in lower-case hex, file paths are
/// relative and stay inside the package's folder. A malformed name fails with an
/// <see cref="ArgumentException"/> naming the field, as <c>RequestValidation</c> does for the
/// other requests, whether it comes from a request, a manifest read back, or a folder scanned.
/// </summary>
/// <remarks>
/// Paths are checked on every side because a node writes each file at its path under its cache:
/// a path that could leave that folder ("../x", "/etc/x") must never reach the file system.
/// </remarks>
internal static class PackageValidation
{
    /// <summary>The length of a SHA-256 in hex.</summary>
    public const int Sha256HexLength = 64;

    public static void Sha256(string value, string field)
    {
        if (!IsSha256(value))
        {
            throw new ArgumentException($"{field} must be a SHA-256 of {Sha256HexLength} lower-case hex digits, got '{Shorten(value)}'");
        }
    }

    public static void RelativePath(string value, string field)
    {
        if (PathProblem(value) is { } problem)
        {
            throw new ArgumentException($"{field} '{Shorten(value)}' is not a package path: {problem}");
        }
    }

    /// <summary>Why <paramref name="path"/> cannot name a file of a package, or null when it can.</summary>
    public static string? PathProblem(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "it is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "it contains a NUL character";
        }

        // A backslash is a separator on Windows: a node there would read "a\..\..\x" as a climb.
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "it contains a backslash; separate folders with '/'";
        }

        if (path.StartsWith('/') || Path.IsPathRooted(path) || (path.Length >= 2 && path[1] == ':'))
        {
            return "it is rooted; paths are relative to the package's folder";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"it has a '{segment}' segment; paths name files inside the package's folder, each segment a name";
            }
        }

        return null;
    }

    private static bool IsSha256(string value) =>
        value is { Length: Sha256HexLength } && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    // A field may hold anything a client sent; the message quotes enough of it to recognise.
    private static string Shorten(string? value) =>
        value is null ? "" : value.Length <= 100 ? value.Replace('\0', '?') : value[..100].Replace('\0', '?') + "...";
}
