using System.Reflection;
using System.Reflection.Emit;

namespace Plexus.Tests;

[Slow]
public sealed class ErrorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task TheOriginalExceptionCanBeCaughtByItsTypeWithItsOwnFieldsEvenThroughAnotherTask()
    {
        var direct = await Assert.ThrowsAsync<TaskFailedException>(async () =>
            await Plexus.Task<decimal, decimal>(AccountFunctions.Withdraw).Remote(12.5m));
        var funds = Assert.IsType<InsufficientFundsException>(direct.InnerException);
        Assert.Equal(12.5m, funds.Requested);
        Assert.Equal(10m, funds.Balance);
        Assert.Equal("asked 12.5, have 10", funds.Message);
        Assert.Contains(nameof(AccountFunctions.Withdraw), funds.StackTrace, StringComparison.Ordinal);

        // A task that awaits the failed one fails with the same exception, still typed.
        var failed = Plexus.Task<decimal, decimal>(AccountFunctions.Withdraw).Remote(20m);
        var relayed = await Assert.ThrowsAsync<TaskFailedException>(async () =>
            await Plexus.Task<ObjectRef<decimal>[], decimal>(AccountFunctions.AwaitFirstAsync).Remote(new[] { failed }));
        Assert.Equal(20m, Assert.IsType<InsufficientFundsException>(relayed.InnerException).Requested);

        var argument = await Assert.ThrowsAsync<TaskFailedException>(async () => await Plexus.Task<string, int>(AccountFunctions.Parse).Remote(""));
        Assert.Equal("text", Assert.IsType<ArgumentException>(argument.InnerException).ParamName);
    }

    [Fact]
    public async Task AnExceptionHoldingObjectsArrivesTypedWithThoseFieldsUnsetAndNeverHurtsItsWorker()
    {
        var workers = Plexus.WorkerProcessIds.Order().ToList();
        var e = await Assert.ThrowsAsync<TaskFailedException>(async () => await Plexus.Task<int, int>(AccountFunctions.FailHoldingAThread).Remote(1));
        var held = Assert.IsType<HoldsAThreadException>(e.InnerException);
        Assert.Null(held.Thread);
        Assert.Equal("holds a thread", held.Message);

        // A cyclic graph in an exception is not followed (it would overflow the worker's stack).
        var cyclic = await Assert.ThrowsAsync<TaskFailedException>(async () => await Plexus.Task<int, int>(AccountFunctions.FailHoldingACycle).Remote(2));
        var tree = Assert.IsType<HoldsATreeException>(cyclic.InnerException);
        Assert.Null(tree.Root);
        Assert.Equal(2, tree.Depth);
        Assert.Equal(workers, Plexus.WorkerProcessIds.Order().ToList());
    }

    [Fact]
    public async Task UserExceptionReachesEveryAwaiterWithRemoteTypeMessageAndStack()
    {
        var failed = Plexus.Task<string, int>(TestFunctions.Fail).Remote("boom");
        var first = await Assert.ThrowsAsync<TaskFailedException>(async () => await failed);
        var second = await Assert.ThrowsAsync<TaskFailedException>(async () => await failed);
        foreach (var e in new[] { first, second })
        {
            Assert.Equal(typeof(InvalidOperationException).FullName, e.RemoteType);
            Assert.Equal("boom", e.RemoteMessage);
            Assert.Contains(nameof(TestFunctions.Fail), e.RemoteStackTrace, StringComparison.Ordinal);
        }

        // A task downstream of the failure fails with the same root cause instead of running.
        var downstream = Plexus.Task<int, int>(TestFunctions.Echo).Remote(failed);
        var third = await Assert.ThrowsAsync<TaskFailedException>(async () => await downstream);
        Assert.Equal("boom", third.RemoteMessage);
    }

    [Fact]
    public void CapturingLambdaIsRefusedNamingWhatItCaptured()
    {
        var offset = 10;
        var e = Assert.Throws<CapturedStateException>(() => Plexus.Task((int x) => x + offset));
        Assert.Contains("offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCaptureErrorNamesOnlyWhatTheLambdaUsesInTheUsersWords()
    {
        var k = 3;
        var counter = 0;
        Func<int> other = () => k + counter++;
        var scale = 2.0;
        for (var i = 0; i < 2; i++)
        {
            var offset = i;
            Func<int, Task<double>> scaled = async x =>
            {
                await Task.Yield();
                return (x * scale) + offset;
            };
            var e = Assert.Throws<CapturedStateException>(() => Plexus.Task(scaled));
            Assert.Contains("captures offset, scale.", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("counter", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("<", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("CS$", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(3, other());
        var fromMethod = Assert.Throws<CapturedStateException>(() => Plexus.Task((int x) => x + Offset));
        Assert.Contains("captures this.", fromMethod.Message, StringComparison.Ordinal);
    }

    private int Offset => Environment.ProcessorCount;

    [Fact]
    public void UnserializableArgumentIsRefusedNamingTypeAndMember()
    {
        var value = new WithCallback { Name = "x", Callback = () => { } };
        var builder = Plexus.Task(static (WithCallback w) => w.Name.Length);
        var e = Assert.Throws<ValueSerializationException>(() => builder.Remote(value));
        Assert.Contains(nameof(WithCallback), e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WithCallback.Callback), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionInAnAssemblyWorkersCannotLoadFailsClearly()
    {
        using var directory = new TempDirectory();
        var function = EmitAssemblyWithFunction(directory.Path);
        var result = Plexus.Task(function).Remote();
        var e = await Assert.ThrowsAsync<FunctionUnavailableException>(async () => await result);
        Assert.Contains("Plexus.Missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuntimeStaysUsableAfterFailures()
    {
        await Assert.ThrowsAsync<TaskFailedException>(async () => await Plexus.Task<string, int>(TestFunctions.Fail).Remote("again"));
        Assert.Equal(4, await Plexus.Task<int, int, int>(TestFunctions.Add).Remote(2, 2));
    }

    private static Func<int> EmitAssemblyWithFunction(string directory)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName("Plexus.Missing"), typeof(object).Assembly);
        var module = builder.DefineDynamicModule("Plexus.Missing");
        var type = module.DefineType("Plexus.Missing.Functions", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var method = type.DefineMethod("Answer", MethodAttributes.Public | MethodAttributes.Static, typeof(int), Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, 42);
        il.Emit(OpCodes.Ret);
        type.CreateType();
        var path = Path.Combine(directory, "Plexus.Missing.dll");
        builder.Save(path);
        var loaded = Assembly.LoadFrom(path);
        return loaded.GetType("Plexus.Missing.Functions")!.GetMethod("Answer")!.CreateDelegate<Func<int>>();
    }
}

public sealed class InsufficientFundsException(decimal requested, decimal balance)
    : Exception($"asked {requested}, have {balance}")
{
    public decimal Requested { get; } = requested;

    public decimal Balance { get; } = balance;
}

public sealed class HoldsAThreadException(Thread thread) : Exception("holds a thread")
{
    public Thread Thread { get; } = thread;
}

public sealed class TreeNode
{
    public TreeNode? Parent { get; set; }

    public List<TreeNode> Children { get; } = [];
}

public sealed class HoldsATreeException(TreeNode root, int depth) : Exception("holds a tree")
{
    public TreeNode Root { get; } = root;

    public int Depth { get; } = depth;
}

public static class AccountFunctions
{
    public static int FailHoldingACycle(int depth)
    {
        var root = new TreeNode();
        var child = new TreeNode { Parent = root };
        root.Children.Add(child);
        throw new HoldsATreeException(root, depth);
    }

    public static decimal Withdraw(decimal amount) => amount <= 10m ? 10m - amount : throw new InsufficientFundsException(amount, 10m);

    public static async Task<decimal> AwaitFirstAsync(ObjectRef<decimal>[] refs) => await refs[0];

    public static int Parse(string text) => text.Length > 0 ? text.Length : throw new ArgumentException("empty", nameof(text));

    public static int FailHoldingAThread(int value) => throw new HoldsAThreadException(Thread.CurrentThread);
}
