namespace Plexus.Control.Storage;

/// <summary>
/// Which table names and keys a durable store accepts: letters, digits, '-' and '_' only. They
/// become file names and Redis key parts, so a name can never leave its directory ('/', "..") or
/// look like one of the store's own temporary files (which contain '.'). The tables' keys are
/// hex ids, well inside this.
/// </summary>
internal static class StoreNames
{
    /// <summary>Longer names would exceed some file systems' 255-byte limit once suffixed.</summary>
    public const int MaxLength = 200;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <exception cref="ArgumentException"><paramref name="name"/> is not <see cref="IsValid"/>; the message names it.</exception>
    public static void Check(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"The control store {what} '{name}' is not usable: use 1 to {MaxLength} letters, digits, '-' or '_'.", what);
        }
    }
}
