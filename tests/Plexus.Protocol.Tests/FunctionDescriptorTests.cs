using MemoryPack;
using Plexus.Protocol.Messages;

namespace Plexus.Protocol.Tests;

/// <summary>A function descriptor survives the codec with its type arguments, and names one method by value.</summary>
public sealed class FunctionDescriptorTests
{
    private static readonly FunctionDescriptor ClosedGeneric =
        new("Shop", "Shop.Pair`1", "Twice", 0x06000002, ["System.Int32, System.Private.CoreLib", "Shop.Order, Shop"]);

    [Fact]
    public void TypeArgumentsSurviveTheCodecAndTheCopyEqualsTheOriginal()
    {
        var copy = MemoryPackSerializer.Deserialize<FunctionDescriptor>(MemoryPackSerializer.Serialize(ClosedGeneric))!;

        Assert.Equal(ClosedGeneric.TypeArguments, copy.TypeArguments);
        Assert.Equal(ClosedGeneric, copy);
        Assert.Equal(ClosedGeneric.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void OtherTypeArgumentsNameAnotherFunction()
    {
        Assert.NotEqual(ClosedGeneric, ClosedGeneric with { TypeArguments = ["System.Int64, System.Private.CoreLib", "Shop.Order, Shop"] });
        Assert.NotEqual(ClosedGeneric, ClosedGeneric with { TypeArguments = null });
    }
}
