using System.Globalization;

namespace Plexus.Cli.Node;

/// <summary>
/// Writes a file so readers see the old content or the new, never a half-written one: the text
/// goes to a temporary file beside it, created with its final permissions, then renamed over it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Owner read and write only: what a file holding a secret, or one only its node rewrites, needs.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, string text, UnixFileMode mode)
    {
        var temporary = $"{path}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        try
        {
            // Created with its mode (not chmod-ed after), so no reader ever sees it more open.
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
            File.Delete(temporary);
            using (var writer = new StreamWriter(temporary, options))
            {
                writer.Write(text);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
