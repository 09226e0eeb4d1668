using Plexus.Functions;

namespace Plexus.Tests;

/// <summary>Errors and logs name a task's function as its user wrote it, not as the compiler renamed it.</summary>
public sealed class FunctionNameTests
{
    [Fact]
    public void AMethodIsNamedTypeDotMethodWithoutItsNamespace() =>
        Assert.Equal("TestFunctions.Add", FunctionDescriptors.Describe(TestFunctions.Add).DisplayName);

    [Fact]
    public void ALambdaIsNamedAfterTheMethodThatDeclaresIt() =>
        Assert.Equal($"{nameof(FunctionNameTests)}.{nameof(ALambdaIsNamedAfterTheMethodThatDeclaresIt)} (lambda)",
            FunctionDescriptors.Describe(static (int x) => x + 1).DisplayName);

    [Fact]
    public void ALocalFunctionIsNamedAfterItselfInsideItsMethod()
    {
        static int Twice(int x) => 2 * x;
        Assert.Equal($"{nameof(FunctionNameTests)}.{nameof(ALocalFunctionIsNamedAfterItselfInsideItsMethod)}.{nameof(Twice)}",
            FunctionDescriptors.Describe(Twice).DisplayName);
    }

    [Fact]
    public void ANestedTypeKeepsItsOuterTypesName() =>
        Assert.Equal($"{nameof(FunctionNameTests)}.{nameof(Inner)}.{nameof(Inner.Negate)}", FunctionDescriptors.Describe(Inner.Negate).DisplayName);

    [Fact]
    public void AnActorsMethodIsDescribedOnceForAllItsCalls()
    {
        var method = typeof(Inner).GetMethod(nameof(Inner.Negate))!;
        // The node's task events hold a call's descriptor until their next report: one per method is no garbage.
        Assert.Same(FunctionDescriptors.DescribeMember(method), FunctionDescriptors.DescribeMember(method));
    }

    public static class Inner
    {
        public static int Negate(int x) => -x;
    }
}
