namespace Plexus.Tests;

/// <summary>Work that returns nothing (void, Task, ValueTask) and actor property reads: their futures complete or fail with the work.</summary>
[Slow]
public sealed class NoResultTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    private PlexusRuntime Plexus => cluster.Plexus;

    public void Dispose() => _directory.Dispose();

    private static Task WriteAsync(string file) => File.WriteAllTextAsync(file, "written");

    [Fact]
    public async Task AsyncTaskWithoutResultCompletesAfterItsWork()
    {
        var path = Path.Combine(_directory.Path, "async.txt");
        await Plexus.Task(static async (string file) => await File.WriteAllTextAsync(file, "written")).Remote(path);
        Assert.Equal("written", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task VoidTaskCompletesAfterItsWork()
    {
        var path = Path.Combine(_directory.Path, "void.txt");
        ObjectRef<Done> done = Plexus.Task(static (string file) => File.WriteAllText(file, "written")).Remote(path);
        Assert.Equal(default, await done);
        Assert.Equal("written", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task AsyncLambdaWithAResultStillGivesItsResult()
    {
        // Async lambdas convert to Task and ValueTask delegates alike: the Task overloads are preferred.
        var doubled = Plexus.Task(static async (int x) =>
        {
            await Task.Yield();
            return x * 2;
        }).Remote(21);
        Assert.Equal(42, await doubled);
    }

    [Fact]
    public void TaskDeclaringAResultForWorkWithoutOneIsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => Plexus.Task<string, Task>(WriteAsync));
        Assert.Contains("ObjectRef<Done>", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueTaskWithoutResultCompletesAfterItsWork()
    {
        var path = Path.Combine(_directory.Path, "value-task.txt");
        await Plexus.Task(static (string file) => new ValueTask(File.WriteAllTextAsync(file, "written"))).Remote(path);
        Assert.Equal("written", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task AsyncTaskWithoutResultFailsWithItsException()
    {
        var done = Plexus.Task(static async (string message) =>
        {
            await Task.Yield();
            throw new InvalidOperationException(message);
        }).Remote("no disk");
        var failure = await Assert.ThrowsAsync<TaskFailedException>(async () => await done);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.RemoteType);
        Assert.Equal("no disk", failure.RemoteMessage);
    }

    [Fact]
    public async Task ActorPropertyReadReturnsItsValue()
    {
        using var ledger = Plexus.Actor(() => new Ledger("v2")).Remote();
        Assert.Equal("v2", await ledger.Call(l => l.Version));
    }

    [Fact]
    public async Task VoidActorMethodCompletesAfterItRuns()
    {
        using var ledger = Plexus.Actor(() => new Ledger("v1")).Remote();
        await ledger.Call(l => l.Record("now"));
        Assert.Equal(["now"], await ledger.Call(l => l.Entries()));
    }

    [Fact]
    public async Task VoidActorMethodThatThrowsFailsItsFuture()
    {
        using var ledger = Plexus.Actor(() => new Ledger("v1")).Remote();
        var failure = await Assert.ThrowsAsync<TaskFailedException>(async () => await ledger.Call(l => l.Record("")));
        Assert.Equal(typeof(ArgumentException).FullName, failure.RemoteType);
    }

    [Fact]
    public void ActorFieldReadIsRefusedNamingTheField()
    {
        using var ledger = Plexus.Actor(() => new Ledger("v1")).Remote();
        var refused = Assert.Throws<ArgumentException>(() => ledger.Call(l => l.Owner));
        Assert.Contains("Owner is a field", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncActorMethodWithoutResultCompletesAfterItRuns()
    {
        using var ledger = Plexus.Actor(() => new Ledger("v1")).Remote();
        await ledger.Call(l => l.RecordLaterAsync("later"));
        Assert.Equal(["later"], await ledger.Call(l => l.Entries()));
    }
}

/// <summary>An actor whose methods return nothing.</summary>
public sealed class Ledger(string version)
{
    private readonly List<string> _entries = [];

    public string Owner = "nobody";

    public string Version { get; } = version;

    public void Record(string entry)
    {
        ArgumentException.ThrowIfNullOrEmpty(entry);
        _entries.Add(entry);
    }

    public async Task RecordLaterAsync(string entry)
    {
        await Task.Yield();
        _entries.Add(entry);
    }

    public string[] Entries() => [.. _entries];
}
