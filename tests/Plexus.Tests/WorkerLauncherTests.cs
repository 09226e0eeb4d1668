using Plexus.Hosting;
using Plexus.Node;

namespace Plexus.Tests;

/// <summary>What a worker process is started with (no process is started).</summary>
public sealed class WorkerLauncherTests
{
    private static readonly WorkerLaunchContext Context = new(1, 1, "socket", "/dev/shm/arena", 1 << 20, "token", 1, "/tmp/spill");

    [Fact]
    public void AWorkerHasProfileGuidedTieringOnUnlessItsNodesEnvironmentSetsIt()
    {
        // Tests in this assembly run one at a time, so the process's environment can be changed here.
        var before = Environment.GetEnvironmentVariable(WorkerLauncher.TieredPgoVariable);
        try
        {
            Environment.SetEnvironmentVariable(WorkerLauncher.TieredPgoVariable, null);
            Assert.Equal("1", StartInfo().Environment[WorkerLauncher.TieredPgoVariable]);

            Environment.SetEnvironmentVariable(WorkerLauncher.TieredPgoVariable, "0");
            Assert.Equal("0", StartInfo().Environment[WorkerLauncher.TieredPgoVariable]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkerLauncher.TieredPgoVariable, before);
        }
    }

    private static System.Diagnostics.ProcessStartInfo StartInfo() =>
        new WorkerLauncher(JobId.NewRandom(), inlineThreshold: 0, recordCallSites: false).Create(Context);
}
