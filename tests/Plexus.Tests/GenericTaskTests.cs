using Plexus.Functions;

namespace Plexus.Tests;

/// <summary>Closed generic methods, methods of closed generic types and lambdas written in generic methods run as tasks and actors.</summary>
[Slow]
public sealed class GenericTaskTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ClosedGenericStaticMethodRunsAsATask()
    {
        var described = await Plexus.Task<GenericPoint, string>(GenericFunctions.Describe<GenericPoint>).Remote(new GenericPoint(1, 2));
        Assert.Equal("GenericPoint:GenericPoint { X = 1, Y = 2 }", described);
    }

    [Fact]
    public async Task TypeArgumentsTellInstantiationsApart()
    {
        var asInt = Plexus.Task<int, string>(GenericFunctions.Describe<int>).Remote(7);
        var asLong = Plexus.Task<long, string>(GenericFunctions.Describe<long>).Remote(7L);
        Assert.Equal(("Int32:7", "Int64:7"), (await asInt, await asLong));
    }

    [Fact]
    public async Task MethodOfAClosedGenericClassRunsAsATask()
    {
        var twice = await Plexus.Task<List<GenericPoint>, List<GenericPoint>[]>(Pair<List<GenericPoint>>.Twice).Remote(new List<GenericPoint> { new(3, 4) });
        Assert.Equal(2, twice.Length);
        Assert.Equal(new GenericPoint(3, 4), twice[1].Single());
    }

    [Fact]
    public async Task LambdaWrittenInAGenericMethodRunsAsATask()
    {
        Assert.Equal("String=hi", await DescribeRemotely(Plexus, "hi"));
        Assert.Equal("GenericPoint=GenericPoint { X = 7, Y = 8 }", await DescribeRemotely(Plexus, new GenericPoint(7, 8)));
    }

    [Fact]
    public async Task GenericActorClassIsCreatedAndCalled()
    {
        using var box = Plexus.Actor(() => new GenericBox<GenericPoint>(new GenericPoint(5, 6))).Remote();
        Assert.Equal(new GenericPoint(5, 6), await box.Call(b => b.Get()));
        Assert.Equal("GenericPoint", await box.Call(b => b.ItemTypeName()));
    }

    [Fact]
    public async Task ANamedGenericActorIsFoundByNameAsItsOwnInstantiationOnly()
    {
        using var box = await Plexus.Actor(() => new GenericBox<GenericPoint>(new GenericPoint(1, 2))).WithName("generic-box").RemoteAsync();

        using var found = await Plexus.GetActorAsync<GenericBox<GenericPoint>>("generic-box");
        Assert.Equal(new GenericPoint(1, 2), await found.Call(b => b.Get()));
        var e = await Assert.ThrowsAsync<InvalidCastException>(() => Plexus.GetActorAsync<GenericBox<int>>("generic-box"));
        Assert.Contains("not a", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenGenericMethodIsRefusedSayingWhatToClose()
    {
        var open = typeof(GenericFunctions).GetMethod(nameof(GenericFunctions.Describe))!;
        var e = Assert.Throws<NotSupportedException>(() => FunctionDescriptors.DescribeMember(open));
        Assert.Contains("GenericFunctions.Describe has open type parameters (T)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MethodOfAnOpenGenericClassIsRefused()
    {
        var open = typeof(Pair<>).GetMethod(nameof(Pair<int>.Twice))!;
        var e = Assert.Throws<NotSupportedException>(() => FunctionDescriptors.DescribeMember(open));
        Assert.Contains("Pair`1.Twice has open type parameters (T)", e.Message, StringComparison.Ordinal);
    }

    private static ObjectRef<string> DescribeRemotely<T>(PlexusRuntime plexus, T value) =>
        plexus.Task(static (T v) => $"{typeof(T).Name}={v}").Remote(value);
}

public sealed record GenericPoint(int X, int Y);

public static class GenericFunctions
{
    public static string Describe<T>(T value) => $"{typeof(T).Name}:{value}";
}

public static class Pair<T>
{
    public static T[] Twice(T item) => [item, item];
}

public sealed class GenericBox<T>(T item)
{
    public T Get() => item;

    public string ItemTypeName() => typeof(T).Name;
}
