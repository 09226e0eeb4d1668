using System.Reflection;
using Xunit.Sdk;

namespace Plexus.ClusterHosting;

/// <summary>
/// A theory's case that needs a real <c>redis-server</c> (<see cref="RedisServer"/>): skipped, with
/// the reason, when it is not installed, except under <c>CI=true</c>, where <c>.ci/run</c> installs
/// it and a missing server must fail the case instead of hiding it.
/// </summary>
[DataDiscoverer("Xunit.Sdk.InlineDataDiscoverer", "xunit.core")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class RedisInlineDataAttribute : DataAttribute
{
    private readonly object[] _data;

    public RedisInlineDataAttribute(params object[] data)
    {
        _data = data;
        Skip = RedisServer.SkipReason("case");
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [_data];
}
