namespace Plexus.Tests;

/// <summary>
/// Values declared as object, an abstract class or an interface arrive as the type that was sent
/// (as arguments and as results, at the top level and nested); a type that cannot be rebuilt is
/// refused at submission, named.
/// </summary>
[Slow]
public sealed class PolymorphicValueTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ObjectParameterReceivesTheTypeThatWasSent()
    {
        var received = Plexus.Task(static (object value) => value.GetType().FullName!).Remote(new Circle(2));
        Assert.Equal(typeof(Circle).FullName, await received);
    }

    [Fact]
    public async Task ObjectResultArrivesAsTheTypeThatWasReturned()
    {
        var echoed = await Plexus.Task(static (object value) => value).Remote(new Circle(2));
        Assert.Equal(new Circle(2), Assert.IsType<Circle>(echoed));
    }

    [Fact]
    public async Task AbstractElementsKeepTheirOwnTypes()
    {
        Shape[] shapes = [new Circle(1), new Square(2)];
        var echoed = await Plexus.Task(static (Shape[] all) => all).Remote(shapes);
        Assert.Equal(shapes, echoed);
        Assert.Equal(4, await Plexus.Task(static (Shape[] all) => all.OfType<Square>().Sum(s => s.Side * s.Side)).Remote(shapes));
    }

    [Fact]
    public async Task InterfaceValueArrivesAsItsClass()
    {
        var square = new Square(3);
        var echoed = await Plexus.Task(static (IHasArea shape) => shape).Remote(square);
        Assert.Equal(square, Assert.IsType<Square>(echoed));
    }

    [Fact]
    public async Task ValueHeldAsAnInterfaceIsPassedWithArgValue()
    {
        IHasArea square = new Square(3);
        var echoed = await Plexus.Task(static (IHasArea shape) => shape).Remote(Arg.Value(square));
        Assert.Equal(square, Assert.IsType<Square>(echoed));
    }

    [Fact]
    public async Task PolymorphicFieldsAndCollectionsKeepTheirTypes()
    {
        var drawing = new Drawing("plan", new Square(1), [3, "three", 3.5, new Circle(3)], new Dictionary<string, object> { ["count"] = 7L });
        var echoed = await Plexus.Task(static (Drawing d) => d).Remote(drawing);
        Assert.IsType<Square>(echoed.Main);
        Assert.Equal([typeof(int), typeof(string), typeof(double), typeof(Circle)], echoed.Extras.Select(e => e.GetType()));
        Assert.Equal(drawing.Extras, echoed.Extras);
        Assert.Equal(7L, Assert.IsType<long>(echoed.Properties["count"]));
    }

    [Fact]
    public async Task ArrayPassedAsObjectOrInterfaceArrivesAsAnArray()
    {
        double[] values = [1, 2, 3];
        Assert.Equal(values, Assert.IsType<double[]>(await Plexus.Task(static (object v) => v).Remote(values)));
        Assert.Equal(6, await Plexus.Task(static (IReadOnlyList<double> v) => v.Sum()).Remote(values));
    }

    [Fact]
    public async Task ClassWithOnlyAPrivateConstructorNamedLikeItsMembersTravels()
    {
        Assert.Equal(4, await Plexus.Task(static (Ticket t) => t.Number + 1).Remote(Ticket.Issue(3)));
    }

    [Fact]
    public void ClassNoConstructorCanRebuildIsRefusedAtSubmissionNamingIt()
    {
        var refused = Assert.Throws<ValueSerializationException>(() => Plexus.Task(static (Token t) => t.Value).Remote(Token.Create(3)));
        Assert.Contains(nameof(Token), refused.Message, StringComparison.Ordinal);
        Assert.Contains("constructor whose parameters", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnbuildableValueNestedUnderObjectIsRefusedAtSubmissionNamingIt()
    {
        object[] values = [1, Token.Create(3)];
        var refused = Assert.Throws<ValueSerializationException>(() => Plexus.Task(static (object[] all) => all.Length).Remote(values));
        Assert.Contains(nameof(Token), refused.Message, StringComparison.Ordinal);
        Assert.Contains("constructor whose parameters", refused.Message, StringComparison.Ordinal);
    }
}

public interface IHasArea
{
    double Area();
}

public abstract record Shape : IHasArea
{
    public abstract double Area();
}

public sealed record Circle(double Radius) : Shape
{
    public override double Area() => Math.PI * Radius * Radius;
}

public sealed record Square(int Side) : Shape
{
    public override double Area() => Side * Side;
}

public sealed record Drawing(string Name, Shape Main, List<object> Extras, Dictionary<string, object> Properties);

/// <summary>Built only through its factory: its one constructor's parameter matches no member, so nothing could rebuild it.</summary>
public sealed class Token
{
    private Token(int seed) => Value = seed;

    public int Value { get; }

    public static Token Create(int value) => new(value);
}

/// <summary>Built only through its factory, by a private constructor whose parameter is named like its property.</summary>
public sealed class Ticket
{
    private Ticket(int number) => Number = number;

    public int Number { get; }

    public static Ticket Issue(int number) => new(number);
}
