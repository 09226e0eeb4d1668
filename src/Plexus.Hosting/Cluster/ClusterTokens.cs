namespace Plexus.Hosting.Cluster;

/// <summary>Where a driver finds the token of the cluster it joins.</summary>
internal static class ClusterTokens
{
    /// <summary>The token file a head started with the default temp directory writes.</summary>
    public static string DefaultTokenFile => Path.Combine(Path.GetTempPath(), "plexus", "token");

    /// <summary>
    /// <see cref="PlexusOptions.ClusterToken"/>, else <c>PLEXUS_TOKEN</c>, else the file
    /// <c>PLEXUS_TOKEN_FILE</c> names, else the default token file when it can be read; null if none.
    /// </summary>
    public static string? Find(PlexusOptions options)
    {
        if (options.ClusterToken is { Length: > 0 } given)
        {
            return given;
        }

        if (Environment.GetEnvironmentVariable("PLEXUS_TOKEN") is { Length: > 0 } token)
        {
            return token;
        }

        var file = Environment.GetEnvironmentVariable("PLEXUS_TOKEN_FILE") is { Length: > 0 } named ? named : DefaultTokenFile;
        try
        {
            return File.ReadAllText(file).Trim() is { Length: > 0 } read ? read : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
