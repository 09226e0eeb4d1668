namespace Plexus.Hosting.Packages;

/// <summary>
/// Where this user's Plexus caches go on this machine: <c>PLEXUS_CACHE_DIR</c> when it is set;
/// otherwise <c>$XDG_CACHE_HOME/plexus</c>, else <c>~/.cache/plexus</c>, on Linux, and
/// <c>plexus</c> under the local application data folder elsewhere.
/// </summary>
internal static class UserCacheDirectory
{
    /// <summary>The environment variable that names the directory, overriding the default.</summary>
    public const string Variable = "PLEXUS_CACHE_DIR";

    /// <summary>The directory (a full path, not necessarily existing), or null when the user has no home to put it in.</summary>
    /// <param name="environmentVariable">Reads an environment variable; null when unset.</param>
    public static string? Find(Func<string, string?> environmentVariable)
    {
        ArgumentNullException.ThrowIfNull(environmentVariable);
        if (environmentVariable(Variable) is { Length: > 0 } chosen)
        {
            return Path.GetFullPath(chosen);
        }

        // The XDG base directory specification ignores a relative path, as if unset.
        if (OperatingSystem.IsLinux() && environmentVariable("XDG_CACHE_HOME") is { } xdg && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "plexus");
        }

        string home = OperatingSystem.IsLinux()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.IsPathFullyQualified(home) ? Path.Combine(home, "plexus") : null;
    }
}
