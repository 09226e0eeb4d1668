using Xunit.Sdk;

namespace Plexus.Testing;

/// <summary>
/// Marks a test class (or a single test) as slow: it starts real clusters or processes, or takes
/// more than a couple of seconds. Such tests carry the trait <c>Category=Slow</c>, so
/// <c>dotnet test --filter "Category!=Slow"</c> runs the fast set alone; the full run includes them.
/// </summary>
[TraitDiscoverer("Plexus.Testing." + nameof(SlowTraitDiscoverer), "Plexus.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlowAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name, as test filters spell it.</summary>
    public const string TraitName = "Category";

    /// <summary>The trait's value, as test filters spell it.</summary>
    public const string TraitValue = "Slow";
}
