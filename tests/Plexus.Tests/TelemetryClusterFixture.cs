namespace Plexus.Tests;

/// <summary>An embedded cluster whose node keeps its telemetry (metrics and task events), which the embedded cluster leaves off by default.</summary>
public sealed class TelemetryClusterFixture : ClusterFixture
{
    protected override PlexusOptions Options
    {
        get
        {
            var options = base.Options;
            options.Telemetry = true;
            return options;
        }
    }
}
