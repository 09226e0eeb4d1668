using RedisServer = Plexus.ClusterHosting.RedisServer;

namespace Plexus.Control.Tests;

/// <summary>
/// A test that needs a real <c>redis-server</c>. Skipped, with the reason, only on a developer's
/// machine without one; under <c>CI=true</c> it always runs, so a CI machine that lacks the server
/// fails the test instead of passing it silently (.ci/run installs it).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        Skip = RedisServer.SkipReason("test");
    }
}
