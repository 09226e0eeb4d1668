using System.Diagnostics;
using Microsoft.Extensions.Options;
using Plexus.Hosting;

namespace Plexus.Tests;

public sealed class NodeHostingTests
{
    [Fact]
    public async Task NodeOptionsThatCannotWorkFailTheHostsStartNamingEachOne()
    {
        var builder = PlexusHostingExtensions.CreateQuietBuilder(loggerFactory: null);
        var launched = 0;
        builder.Services.AddPlexusNode(
            node =>
            {
                node.Cpus = 0;
                node.SpillHighWater = 1.5;
                node.WorkerIdleTimeout = TimeSpan.Zero;
                node.ClusterToken = " ";
            },
            new WorkerPoolPlan(_ => { launched++; return new ProcessStartInfo("/bin/false"); }, TimeSpan.FromSeconds(5)));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Cpus must be at least 1", error.Message);
        Assert.Contains("SpillHighWater must be in (0, 1]", error.Message);
        Assert.Contains("ClusterToken must not be empty", error.Message);
        Assert.Contains("WorkerIdleTimeout must be positive", error.Message);
        Assert.Equal(0, launched);
    }
}
