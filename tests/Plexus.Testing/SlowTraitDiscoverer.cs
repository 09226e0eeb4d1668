using Xunit.Abstractions;
using Xunit.Sdk;

namespace Plexus.Testing;

/// <summary>Gives tests marked <see cref="SlowAttribute"/> their trait; xunit finds it by name.</summary>
internal sealed class SlowTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(SlowAttribute.TraitName, SlowAttribute.TraitValue)];
}
