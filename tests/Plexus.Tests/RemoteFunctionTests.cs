using Plexus.Functions;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Tests;

/// <summary>Functions travel inside values as their names and are called where they are read.</summary>
[Slow]
public sealed class RemoteFunctionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task StaticMethodTravelsAsATaskArgument()
    {
        var triple = Plexus.Function<Func<int, int>>(Triple);
        Assert.Equal(21, await Plexus.Task(static (RemoteFunction<Func<int, int>> f, int x) => f.Function(x)).Remote(triple, 7));
    }

    [Fact]
    public async Task LambdaTravelsAsATaskArgument()
    {
        var negate = Plexus.Function<Func<int, int>>(static x => -x);
        Assert.Equal(-4, await Plexus.Task(static (RemoteFunction<Func<int, int>> f, int x) => f.Function(x)).Remote(negate, 4));
    }

    [Fact]
    public async Task LocalFunctionTravelsAsATaskArgument()
    {
        static string Shout(string s) => s.ToUpperInvariant() + "!";
        var shout = Plexus.Function<Func<string, string>>(Shout);
        Assert.Equal("HI!", await Plexus.Task(static (RemoteFunction<Func<string, string>> f, string s) => f.Function(s)).Remote(shout, "hi"));
    }

    [Fact]
    public async Task FunctionTravelsInAFieldOfAValueWithItsName()
    {
        var step = new Step("plus one", Plexus.Function<Func<int, int>>(static x => x + 1));
        var applied = await Plexus.Task(static (Step s, int x) => $"{s.Label}: {s.Apply.Function(x)} by {s.Apply.Name}").Remote(step, 41);
        Assert.Equal($"plus one: 42 by {step.Apply.Name}", applied);
        Assert.Equal($"{nameof(RemoteFunctionTests)}.{nameof(FunctionTravelsInAFieldOfAValueWithItsName)} (lambda)", step.Apply.Name);
    }

    [Fact]
    public async Task FunctionReadOnAWorkerTravelsOnFromThere()
    {
        // The worker sends the function it read to a nested task: a resolved function writes its name again.
        var square = Plexus.Function<Func<long, long>>(static x => x * x);
        var nested = await Plexus.Task(static async (RemoteFunction<Func<long, long>> f, long x) =>
            await PlexusRuntime.Current.Task(static (RemoteFunction<Func<long, long>> g, long y) => g.Function(y) + 1).Remote(f, x)).Remote(square, 9);
        Assert.Equal(82, nested);
    }

    [Fact]
    public async Task ClosedGenericLambdaTravelsAsATaskArgumentAndInAField()
    {
        var label = Labeller<Step>(Plexus);
        var apply = static (RemoteFunction<Func<Step, string>> f, Step s) => f.Function(s);
        var labelled = await Plexus.Task(apply).Remote(label, new Step("one", Plexus.Function<Func<int, int>>(Triple)));
        Assert.Equal("Step:one", labelled);

        var described = await Plexus.Task(static (Holder<long> h) => h.Describe.Function(h.Value)).Remote(new Holder<long>(15, Labeller<long>(Plexus)));
        Assert.Equal("Int64:15", described);
    }

    [Fact]
    public void ClosureIsRefusedNamingWhatItCaptures()
    {
        var offset = 5;
        var e = Assert.Throws<CapturedStateException>(() => Plexus.Function<Func<int, int>>(x => x + offset));
        Assert.Contains("captures offset.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BoundInstanceMethodIsRefused()
    {
        var scaler = new Scaler(3);
        var e = Assert.Throws<CapturedStateException>(() => Plexus.Function<Func<int, int>>(scaler.Scale));
        Assert.Contains("instance method bound to a Scaler object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainDelegateInAValueIsStillRefused()
    {
        var builder = Plexus.Task(static (PlainStep s) => s.Label);
        var e = Assert.Throws<ValueSerializationException>(() => builder.Remote(new PlainStep("x", static x => x)));
        Assert.Contains(nameof(PlainStep.Apply), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingAsAnotherSignatureRaisesFunctionUnavailable()
    {
        var encoded = ValueCodec.Encode(Plexus.Function<Func<int, int>>(Triple), typeof(RemoteFunction<Func<int, int>>));
        var e = Assert.Throws<FunctionUnavailableException>(() => Decode<RemoteFunction<Func<string, int>>>(encoded));
        Assert.Contains("Triple(Int32) cannot be called as a Func<String, Int32>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingAMethodThisBuildLacksRaisesFunctionUnavailable()
    {
        var real = RemoteFunctions.DescriptorOf(Plexus.Function<Func<int, int>>(Triple));
        var missing = new RemoteFunction<Func<int, int>>(Triple, "Missing", real with { Method = "TripleRenamed" });
        var encoded = ValueCodec.Encode(missing, typeof(RemoteFunction<Func<int, int>>));
        var e = Assert.Throws<FunctionUnavailableException>(() => Decode<RemoteFunction<Func<int, int>>>(encoded));
        Assert.Contains("TripleRenamed", e.Message, StringComparison.Ordinal);
        Assert.Contains("different builds", e.Message, StringComparison.Ordinal);
    }

    private static int Triple(int x) => 3 * x;

    // The lambda compiles into the generic closure class <>c<T>: a closed generic function.
    private static RemoteFunction<Func<T, string>> Labeller<T>(PlexusRuntime plexus) =>
        plexus.Function<Func<T, string>>(static v => $"{typeof(T).Name}:{(v is Step s ? s.Label : v)}");

    private T? Decode<T>(EncodedValue encoded) =>
        (T?)ValueCodec.Decode(typeof(T), ObjectValue.InlineValue(ObjectId.ForPut(TaskId.Root(Plexus.CoreRuntime().Job), 1), encoded.Format, encoded.ToArray()), Plexus.CoreRuntime());

    public sealed record Step(string Label, RemoteFunction<Func<int, int>> Apply);

    public sealed record Holder<T>(T Value, RemoteFunction<Func<T, string>> Describe);

    public sealed record PlainStep(string Label, Func<int, int> Apply);

    public sealed class Scaler(int factor)
    {
        public int Scale(int x) => factor * x;
    }
}
