using Xunit.Sdk;

namespace Plexus.Testing.Tests;

public sealed class SlowAttributeTests
{
    // The filter the README gives for the fast set.
    private static readonly KeyValuePair<string, string> FastFilterExcludes = new("Category", "Slow");

    [Fact]
    public void EveryTestOfASlowClassCarriesTheTraitTheFastFilterExcludes()
    {
        Assert.Contains(FastFilterExcludes, TraitHelper.GetTraits(typeof(SlowClass)));
    }

    [Fact]
    public void ASlowTestInAFastClassCarriesTheTraitTheFastFilterExcludes()
    {
        Assert.Contains(FastFilterExcludes, TraitHelper.GetTraits(typeof(FastClass).GetMethod(nameof(FastClass.SlowTest))!));
        Assert.DoesNotContain(FastFilterExcludes, TraitHelper.GetTraits(typeof(FastClass).GetMethod(nameof(FastClass.FastTest))!));
    }

    [Slow]
    private sealed class SlowClass;

    private sealed class FastClass
    {
        [Slow]
        public void SlowTest()
        {
        }

        public void FastTest()
        {
        }
    }
}
