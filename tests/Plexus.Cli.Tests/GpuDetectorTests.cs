using Plexus.Cluster;

namespace Plexus.Cli.Tests;

/// <summary>
/// A node counts the GPUs `nvidia-smi` lists; these tests put a stand-in `nvidia-smi` first on the
/// PATH (a machine without GPUs has none, and this one has none to list).
/// </summary>
[Collection(nameof(PathChangingCollection))]
public sealed class GpuDetectorTests
{
    [Fact]
    public void CountsTheGpusNvidiaSmiLists()
    {
        using var temp = new TempDirectory();
        WriteStandIn(temp, "echo 'NVIDIA A100-SXM4-40GB'\necho 'NVIDIA A100-SXM4-40GB'\nexit 0");

        var gpus = WithPathFirst(temp.Path, GpuDetector.Count);

        Assert.Equal(2, gpus);
    }

    [Fact]
    public void NvidiaSmiThatFailsMeansNoGpus()
    {
        using var temp = new TempDirectory();
        WriteStandIn(temp, "echo 'NVIDIA-SMI has failed because it could not communicate with the driver' >&2\nexit 9");

        var gpus = WithPathFirst(temp.Path, GpuDetector.Count);

        Assert.Equal(0, gpus);
    }

    private static void WriteStandIn(TempDirectory temp, string body)
    {
        var script = temp.File("nvidia-smi");
        File.WriteAllText(script, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static T WithPathFirst<T>(string directory, Func<T> action)
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", $"{directory}:{path}");
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }
}

/// <summary>Tests that change the process's PATH run alone.</summary>
[CollectionDefinition(nameof(PathChangingCollection), DisableParallelization = true)]
public sealed class PathChangingCollection;
