namespace Plexus.Data;

/// <summary>Where datasets begin: <c>plexus.Data()</c>.</summary>
public static class PlexusDataExtensions
{
    /// <summary>A context that makes datasets running on <paramref name="plexus"/>'s cluster, with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="plexus"/> is null.</exception>
    public static DataContext Data(this PlexusRuntime plexus, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plexus);
        return new DataContext(plexus, options ?? new DataOptions());
    }
}
