using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Plexus.ClusterDriver.Version;

namespace Plexus.ClusterDriver;

/// <summary>Where a task ran, and the SHA-256 of the bytes it was given.</summary>
internal sealed record Digest(string NodeId, string Sha256);

/// <summary>A square, and the node whose worker computed it.</summary>
internal sealed record Square(long Value, string NodeId);

/// <summary>Where a task ran, the version of the job's library it loaded, and where it loaded it from.</summary>
internal sealed record VersionReport(string NodeId, string Version, string Location);

/// <summary>Where a task ran, and when it started and ended (UTC ticks, one clock for every process of the machine).</summary>
internal sealed record Interval(string NodeId, long Start, long End);

/// <summary>The tasks the scenarios submit.</summary>
internal static class ClusterTasks
{
    /// <summary>Holds its CPU for <paramref name="milliseconds"/> and says which node ran it.</summary>
    public static string NodeAfter(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return PlexusRuntime.Current.NodeId;
    }

    /// <summary>Holds its CPU for <paramref name="milliseconds"/>, saying where and from when to when.</summary>
    public static Interval Timed(int milliseconds)
    {
        var start = DateTime.UtcNow.Ticks;
        Thread.Sleep(milliseconds);
        return new Interval(PlexusRuntime.Current.NodeId, start, DateTime.UtcNow.Ticks);
    }

    public static long Square(long x) => x * x;

    public static int Length(string text) => text.Length;

    public static Square SquareWhere(long x) => new(x * x, PlexusRuntime.Current.NodeId);

    /// <summary><paramref name="length"/> bytes that depend on <paramref name="seed"/>: a content to check after a transfer.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static Digest DigestHere(byte[] data) => new(PlexusRuntime.Current.NodeId, Sha256(data));

    public static VersionReport ReportVersion()
    {
        Thread.Sleep(200); // holds its CPU a while, so the tasks spread over the workers
        return new VersionReport(PlexusRuntime.Current.NodeId, JobVersion.Value, JobVersion.Location);
    }

    /// <summary>Writes its node's id to <paramref name="startedFile"/> (so the test knows it runs) and then sleeps.</summary>
    public static string SignalThenSleep(string startedFile, int seconds)
    {
        SharedFiles.Write(startedFile, PlexusRuntime.Current.NodeId);
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return PlexusRuntime.Current.NodeId;
    }

    /// <summary>Writes its worker's process id to <paramref name="pidFile"/> (so the test can watch that process), then sleeps.</summary>
    public static int WritePidThenSleep(string pidFile, int seconds)
    {
        SharedFiles.Write(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return Environment.ProcessId;
    }

    /// <summary>
    /// Logs one line at each of Debug, Information and Warning (<c>task-log MARKER at LEVEL</c>), and
    /// when <paramref name="nested"/> submits itself once more from here, marked <c>MARKER-inner</c>.
    /// Returns its worker's pid.
    /// </summary>
    public static async Task<int> LogAtEachLevelAsync(string marker, bool nested)
    {
        var logger = PlexusRuntime.Current.Logger;
        logger.LogDebug("task-log {Marker} at debug", marker);
        logger.LogInformation("task-log {Marker} at information", marker);
        logger.LogWarning("task-log {Marker} at warning", marker);
        if (nested)
        {
            using var inner = PlexusRuntime.Current.Task<string, bool, int>(LogAtEachLevelAsync).Remote(marker + "-inner", false);
            await inner.GetAsync(TimeSpan.FromMinutes(2));
        }

        return Environment.ProcessId;
    }

    /// <summary>
    /// Adds its node's id as a line of <paramref name="runsFile"/>, logs that it holds (through the
    /// task logger, with the file as a structured value), then holds until <paramref name="releaseFile"/>
    /// exists (ten minutes at most).
    /// </summary>
    public static string NoteThenHold(string runsFile, string releaseFile)
    {
        File.AppendAllLines(runsFile, [PlexusRuntime.Current.NodeId]);
        PlexusRuntime.Current.Logger.LogInformation("Holding until {ReleaseFile} exists", releaseFile);
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (!File.Exists(releaseFile) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        return PlexusRuntime.Current.NodeId;
    }
}
