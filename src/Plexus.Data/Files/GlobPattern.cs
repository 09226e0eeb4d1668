using System.Text;
using System.Text.RegularExpressions;

namespace Plexus.Data.Files;

/// <summary>
/// A path pattern: <c>*</c> matches within one path segment, <c>?</c> one character of a segment,
/// and <c>**</c> any number of whole segments (none included). Matching is ordinal and
/// case-sensitive, as paths are on Linux.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _relativePath;

    private GlobPattern(string root, Regex relativePath)
    {
        Root = root;
        _relativePath = relativePath;
    }

    /// <summary>The directory under which matches can lie: the pattern's segments before the first wildcard.</summary>
    public string Root { get; }

    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Parses <paramref name="fullPath"/>, an absolute path with at least one wildcard.</summary>
    public static GlobPattern Parse(string fullPath)
    {
        var segments = fullPath.Split(Path.DirectorySeparatorChar);
        var firstWild = Array.FindIndex(segments, s => IsGlob(s));
        var root = string.Join(Path.DirectorySeparatorChar, segments, 0, firstWild);
        var relative = string.Join('/', segments, firstWild, segments.Length - firstWild);
        return new GlobPattern(root.Length == 0 ? Path.DirectorySeparatorChar.ToString() : root, ToRegex(relative));
    }

    /// <summary>Whether a path relative to <see cref="Root"/>, with '/' between segments, matches.</summary>
    public bool Matches(string relativePath) => _relativePath.IsMatch(relativePath);

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var wholeSegment = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(wholeSegment ? "(?:[^/]*/)*" : ".*");
                i += wholeSegment ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
