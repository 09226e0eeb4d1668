namespace Plexus.Cluster.Tests;

/// <summary>
/// A test that needs a real browser (chromium and chromium-driver). Skipped, with the reason, only
/// on a developer's machine without them; under <c>CI=true</c> it always runs, so a CI machine that
/// lacks them fails the test instead of passing it silently (.ci/run installs them).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = HeadlessChromium.SkipReason();
    }
}
