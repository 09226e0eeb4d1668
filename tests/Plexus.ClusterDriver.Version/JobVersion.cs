using System.Reflection;

namespace Plexus.ClusterDriver.Version;

/// <summary>Which build of this library a process loaded: two jobs with different builds tell their versions apart by it.</summary>
public static class JobVersion
{
    /// <summary>The version stamped into this assembly when it was built (its <c>JobVersion</c> metadata).</summary>
    public static string Value { get; } =
        typeof(JobVersion).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "JobVersion").Value!;

    /// <summary>Where the process loaded this assembly from.</summary>
    public static string Location => typeof(JobVersion).Assembly.Location;
}
