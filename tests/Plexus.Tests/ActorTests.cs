namespace Plexus.Tests;

/// <summary>Actors on a real cluster: state, order, concurrency, names, lifetime, errors.</summary>
[Slow]
public sealed class ActorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task StateIsKeptAcross10000CallsWhichRunInTheCallersOrder()
    {
        using var counter = Plexus.Actor(() => new Counter(10)).Remote();
        var calls = new ObjectRef<int>[10_000];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = counter.Call(c => c.Add(1));
        }

        var values = await Plexus.GetAsync(calls);
        Assert.Equal(Enumerable.Range(11, 10_000), values);
        Assert.Equal(10_010, await counter.Call(c => c.Value()));
    }

    [Fact]
    public async Task CallsFromConcurrentCallersEachRunInTheirOwnOrder()
    {
        using var journal = Plexus.Actor(() => new Journal()).Remote();
        var callers = new[] { "a", "b" }
            .Select(name => Plexus.Task<ActorHandle<Journal>, string, int, int>(ActorFunctions.AppendManyAsync).Remote(journal, name, 300))
            .ToList();
        var mine = new List<ObjectRef<int>>();
        for (var i = 0; i < 300; i++)
        {
            mine.Add(journal.Call(j => j.Append($"driver:{i}")));
        }

        await Plexus.GetAsync(callers);
        await Plexus.GetAsync(mine);
        var entries = await journal.Call(j => j.Entries());
        Assert.Equal(900, entries.Length);
        foreach (var caller in new[] { "a", "b", "driver" })
        {
            var order = entries.Where(e => e.StartsWith(caller + ":", StringComparison.Ordinal)).Select(e => int.Parse(e[(caller.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, 300), order);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task AtMostMaxConcurrencyCallsOverlap(int limit)
    {
        using var meter = Plexus.Actor(() => new OverlapMeter()).WithMaxConcurrency(limit).Remote();
        var calls = Enumerable.Range(0, 4 * limit).Select(_ => meter.Call(m => m.WorkAsync(50))).ToList();
        await Plexus.GetAsync(calls);
        var most = await meter.Call(m => m.Most());
        Assert.True(most <= limit, $"{most} calls overlapped with MaxConcurrency {limit}");
        if (limit > 1)
        {
            Assert.True(most > 1, "calls never overlapped although the actor allows it");
        }
    }

    [Fact]
    public async Task AConstructorArgumentCanBeAFuture()
    {
        var start = Plexus.Task((int x) => x * 10).Remote(4);
        using var counter = await Plexus.Actor(() => new Counter(Arg.Of(start))).RemoteAsync();
        Assert.Equal(41, await counter.Call(c => c.Add(1)));
    }

    [Fact]
    public async Task AsyncMethodsAreAwaitedOnTheActor()
    {
        using var counter = Plexus.Actor(() => new Counter(0)).Remote();
        Assert.Equal(5, await counter.Call(c => c.AddLaterAsync(5)));
        Assert.Equal(7, await counter.Call(c => c.AddLaterAsync(2)));
    }

    [Fact]
    public async Task AHandlePassedToATaskCallsTheSameActor()
    {
        using var counter = Plexus.Actor(() => new Counter(100)).Remote();
        var viaTask = await Plexus.Task<ActorHandle<Counter>, int, int>(ActorFunctions.AddThroughHandleAsync).Remote(counter, 5);
        Assert.Equal(105, viaTask);
        Assert.Equal(106, await counter.Call(c => c.Add(1)));
    }

    [Fact]
    public async Task AMethodThatThrowsFailsThatCallOnlyAndTheActorLivesOn()
    {
        using var faulty = Plexus.Actor(() => new Faulty()).Remote();
        var failure = await Assert.ThrowsAsync<TaskFailedException>(async () => await faulty.Call(f => f.Boom("bad input")));
        Assert.Equal("bad input", failure.RemoteMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.RemoteType);
        Assert.Equal(2, await faulty.Call(f => f.Calls()));
    }

    [Fact]
    public async Task AConstructorThatThrowsFailsEveryCallSayingSo()
    {
        using var broken = Plexus.Actor(() => new BrokenAtBirth("no config")).Remote();
        for (var i = 0; i < 2; i++)
        {
            var e = await Assert.ThrowsAsync<ActorDiedException>(async () => await broken.Call(b => b.Ok()));
            Assert.Contains("constructor", e.Message, StringComparison.Ordinal);
            Assert.Contains("no config", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KillEndsTheActorAndPendingAndLaterCallsFailWithActorDied()
    {
        var meter = Plexus.Actor(() => new OverlapMeter()).Remote();
        var slow = meter.Call(m => m.WorkAsync(30_000));
        var queued = meter.Call(m => m.Most());
        meter.Kill();
        await Assert.ThrowsAsync<ActorDiedException>(async () => await slow.GetAsync(TimeSpan.FromSeconds(20)));
        await Assert.ThrowsAsync<ActorDiedException>(async () => await queued.GetAsync(TimeSpan.FromSeconds(20)));
        await Assert.ThrowsAsync<ActorDiedException>(async () => await meter.Call(m => m.Most()).GetAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task CallingADeadActorSaysWhetherItWasKilledItsConstructorFailedOrItsCreatorExited()
    {
        var killed = Plexus.Actor(() => new Counter(0)).Remote();
        killed.Kill();
        var e = await Assert.ThrowsAsync<ActorDiedException>(async () => await killed.Call(c => c.Value()).GetAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("was killed", e.Message, StringComparison.Ordinal);
        Assert.Equal(ActorDeathCause.Killed, e.Cause);

        using var broken = Plexus.Actor(() => new BrokenAtBirth("no config")).WithName("broken", "reasons").Remote();
        await Assert.ThrowsAsync<ActorDiedException>(async () => await broken.Call(b => b.Ok()));
        // Its name is free again, and a handle found meanwhile still hears why.
        await Eventually.TrueAsync(async () => !(await Plexus.ListActorsAsync()).Contains(("reasons", "broken")),
            "an actor whose constructor failed gives up its name");
        e = await Assert.ThrowsAsync<ActorDiedException>(async () => await broken.Call(b => b.Ok()));
        Assert.Contains("constructor", e.Message, StringComparison.Ordinal);
        Assert.Equal(ActorDeathCause.ConstructorFailed, e.Cause);

        using var driver = TestDriverProcess.Start("own-actor", Plexus.Address!.ToString());
        Assert.Equal("created 1", await driver.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        using var orphan = await Plexus.GetActorAsync<SharedCounter>("orphan", "cross");
        // Killed, so its handle is never dropped: the actor ends because its creator is gone.
        driver.Kill();
        await driver.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => !(await Plexus.ListActorsAsync()).Contains(("cross", "orphan")));
        e = await Assert.ThrowsAsync<ActorDiedException>(async () => await orphan.Call(c => c.Add(1)).GetAsync(TimeSpan.FromSeconds(20)));
        Assert.True(e.Message.Contains("creator exited", StringComparison.Ordinal), e.Message);
        Assert.Equal(ActorDeathCause.CreatorExited, e.Cause);
    }

    [Theory]
    [InlineData("", "default")]
    [InlineData("  ", "default")]
    [InlineData("hits", "")]
    [InlineData("hits", "anonymous:0123456789abcdef0123456789abcdef")]
    public async Task AnEmptyActorNameOrNamespaceOrAnAnonymousNamespaceIsRefused(string name, string @namespace)
    {
        Assert.ThrowsAny<ArgumentException>(() => Plexus.Actor(() => new Counter(0)).WithName(name, @namespace));
        Assert.ThrowsAny<ArgumentException>(() => Plexus.Actor(() => new Counter(0)).WithOptions(new ActorOptions { Name = name, Namespace = @namespace }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Plexus.GetActorAsync<Counter>(name, @namespace));
        Assert.DoesNotContain((@namespace, name), await Plexus.ListActorsAsync());
        if (!string.IsNullOrWhiteSpace(name))
        {
            // The namespace is what is wrong: a job may not take it either.
            Assert.Throws<ArgumentException>(() => new PlexusOptions { Namespace = @namespace });
        }
    }

    [Fact]
    public async Task NamedActorsAreFoundListedAndTheirNamesAreUnique()
    {
        using var hits = Plexus.Actor(() => new Counter(1)).WithName("hits", "tests").Remote();
        using var same = await Plexus.GetActorAsync<Counter>("hits", "tests");
        Assert.Equal(hits.Id, same.Id);
        Assert.Equal(3, await same.Call(c => c.Add(2)));

        var taken = Assert.Throws<ActorNameTakenException>(() => Plexus.Actor(() => new Counter(0)).WithName("hits", "tests").Remote());
        Assert.Contains("hits", taken.Message, StringComparison.Ordinal);
        using var existing = await Plexus.Actor(() => new Counter(0)).WithName("hits", "tests").GetOrCreateAsync();
        Assert.Equal(hits.Id, existing.Id);
        Assert.Contains(("tests", "hits"), await Plexus.ListActorsAsync());
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Plexus.GetActorAsync<Counter>("misses", "tests"));

        hits.Kill();
        await Eventually.TrueAsync(async () => !(await Plexus.ListActorsAsync()).Contains(("tests", "hits")));
        using var reborn = Plexus.Actor(() => new Counter(0)).WithName("hits", "tests").Remote();
        Assert.Equal(0, await reborn.Call(c => c.Value()));
    }

    [Fact]
    public async Task AnOwnedActorEndsWithItsCreatorsLastHandleAndADetachedOneLivesOn()
    {
        var owned = Plexus.Actor(() => new Counter(0)).WithName("owned", "lifetime").Remote();
        var detached = Plexus.Actor(() => new Counter(0)).WithName("detached", "lifetime").Detached().Remote();
        // Found by name: this handle does not keep the actor alive.
        using var ownedByName = await Plexus.GetActorAsync<Counter>("owned", "lifetime");
        owned.Dispose();
        detached.Dispose();

        await Eventually.TrueAsync(async () => !(await Plexus.ListActorsAsync()).Contains(("lifetime", "owned")),
            "the owned actor ends with its creator's handles");
        var e = await Assert.ThrowsAsync<ActorDiedException>(async () => await ownedByName.Call(c => c.Add(1)).GetAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(ActorDeathCause.OutOfScope, e.Cause);
        using var found = await Plexus.GetActorAsync<Counter>("detached", "lifetime");
        Assert.Equal(1, await found.Call(c => c.Add(1)));
        found.Kill();
    }

    [Fact]
    public async Task RefArgumentsAreResolvedAndAPendingOneHoldsBackOnlyItsOwnCaller()
    {
        var gate = Path.Combine(Path.GetTempPath(), $"plexus-gate-{Guid.NewGuid():N}");
        try
        {
            using var journal = Plexus.Actor(() => new Journal()).Remote();
            var late = Plexus.Task<int, string, int>(TestFunctions.GatedAsync).Remote(1, gate);
            var lateText = Plexus.Task((int n) => $"driver:{n}").Remote(late);
            var ready = Plexus.Put("driver:2");

            // The driver's first call waits for its argument; its second is ready at once but runs after it.
            var first = journal.Call(j => j.Append(Arg.Of(lateText)));
            var second = journal.Call(j => j.Append(Arg.Of(ready)));
            // Another caller is not held back by the driver's pending argument.
            Assert.Equal(1, await Plexus.Task<ActorHandle<Journal>, string, int, int>(ActorFunctions.AppendManyAsync).Remote(journal, "other", 1));
            Assert.False(first.IsReady);
            Assert.False(second.IsReady);

            File.WriteAllText(gate, "open");
            Assert.Equal(2, await first);
            Assert.Equal(3, await second);
            Assert.Equal(["other:0", "driver:1", "driver:2"], await journal.Call(j => j.Entries()));
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task ASecondDriverProcessFindsNamedActorsAndItsDetachedActorOutlivesIt()
    {
        using var shared = Plexus.Actor(() => new SharedCounter(40)).WithName("shared", "cross").Remote();
        using (var driver = TestDriverProcess.Start("actors", Plexus.Address!.ToString()))
        {
            var output = await driver.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await driver.WaitForExitAsync();
            Assert.True(driver.ExitCode == 0, $"the second driver failed: {output}");
            Assert.Contains("shared 41", output, StringComparison.Ordinal);
            Assert.Contains("created 1 1", output, StringComparison.Ordinal);
        }

        // The other driver changed the shared actor's state, and it has exited now.
        Assert.Equal(42, await shared.Call(c => c.Add(1)));
        using var detached = await Plexus.GetActorAsync<SharedCounter>("detached", "cross");
        Assert.Equal(2, await detached.Call(c => c.Add(1)));
        await Eventually.TrueAsync(async () => !(await Plexus.ListActorsAsync()).Contains(("cross", "owned")),
            "the exited driver's owned actor ends");
        detached.Kill();
    }

    [Fact]
    public async Task AHandleStoredInAnObjectStillCallsTheActor()
    {
        using var counter = Plexus.Actor(() => new Counter(7)).Remote();
        using var box = Plexus.Put(new CounterBox(counter));
        var copy = (await box).Counter;
        Assert.Equal(counter.Id, copy.Id);
        Assert.Equal(8, await copy.Call(c => c.Add(1)));
    }

    [Fact]
    public async Task AnActorWhoseWorkerDiesFailsItsCallsWithActorDied()
    {
        using var counter = Plexus.Actor(() => new Counter(0)).Remote();
        var pid = await counter.Call(c => c.ProcessId());
        var pending = counter.Call(c => c.AddLaterAsync(1));
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        // The pending call either ran before the kill or fails; later calls fail, never hang.
        try
        {
            await pending.GetAsync(TimeSpan.FromSeconds(30));
        }
        catch (ActorDiedException)
        {
        }

        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await counter.Call(c => c.Value()).GetAsync(TimeSpan.FromSeconds(30));
                    return false;
                }
                catch (ActorDiedException died)
                {
                    return died.Cause == ActorDeathCause.WorkerDied;
                }
            },
            "calls to an actor whose worker died fail with WorkerDied");
    }

    [Fact]
    public async Task ADedicatedActorRunsInAProcessOfItsOwnThatStopsWithIt()
    {
        var pool = Plexus.WorkerProcessIds.ToHashSet();
        var counter = Plexus.Actor(() => new Counter(5)).InDedicatedProcess().Remote();
        Assert.Equal(6, await counter.Call(c => c.Add(1)));
        var pid = await counter.Call(c => c.ProcessId());
        Assert.DoesNotContain(pid, pool);
        Assert.Equal(pool, Plexus.WorkerProcessIds.ToHashSet());

        using var process = System.Diagnostics.Process.GetProcessById(pid);
        counter.Kill();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<ActorDiedException>(async () => await counter.Call(c => c.Value()));
    }

    [Fact]
    public async Task AnActorsCpusAreReservedOnItsWorkerAndAnActorFindingNoneFreeWaitsForThem()
    {
        // Two workers of one CPU each: two actors of one CPU take them all.
        var first = Plexus.Actor(() => new Counter(0)).WithCpus(1).Remote();
        var second = Plexus.Actor(() => new Counter(0)).WithCpus(1).Remote();
        ActorHandle<Counter>? third = null;
        try
        {
            Assert.NotEqual(await first.Call(c => c.ProcessId()), await second.Call(c => c.ProcessId()));

            // While every CPU is reserved, a third such actor and a task wait. The first CPU given back
            // goes to the actor, which asked first; the next one to the task.
            third = Plexus.Actor(() => new Counter(7)).WithCpus(1).Remote();
            var call = third.Call(c => c.Add(1));
            var task = Plexus.Task<int, int>(TestFunctions.Echo).Remote(3);
            Assert.Equal(ObjectState.Pending, call.Info.State);
            first.Kill();
            Assert.Equal(8, await call.GetAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(ObjectState.Pending, task.Info.State);
            second.Kill();
            Assert.Equal(3, await task.GetAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            first.Kill();
            second.Kill();
            third?.Kill();
        }
    }

    [Fact]
    public async Task AnActorAskingMoreCpusThanAWorkerHasStaysPendingIsReportedAndKillingItFailsItsCalls()
    {
        // Each worker has one CPU.
        using var big = Plexus.Actor(() => new Counter(0)).WithCpus(2).Remote();
        var call = big.Call(c => c.Add(1));

        await Eventually.TrueAsync(() => cluster.Logs.HasWarning(big.Id.ToString(), nameof(Counter), "2 CPUs", "stays pending"));
        Assert.Equal(ObjectState.Pending, call.Info.State);
        big.Kill();
        await Assert.ThrowsAsync<ActorDiedException>(async () => await call.GetAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AHandleKeptByAnotherProcessKeepsAnOwnedActorAliveUntilThatProcessLetsGo()
    {
        // In a process of its own, so that the worker killed below is only the handle's keeper.
        var counter = Plexus.Actor(() => new Counter(0)).WithName("kept", "lifetime").InDedicatedProcess().Remote();
        var keeper = await Plexus.Task<ActorHandle<Counter>, int>(ActorFunctions.KeepHandle).Remote(counter);
        counter.Dispose();
        await Plexus.CollectGarbageAsync();

        using (var found = await Plexus.GetActorAsync<Counter>("kept", "lifetime"))
        {
            Assert.Equal(1, await found.Call(c => c.Add(1)));
        }

        System.Diagnostics.Process.GetProcessById(keeper).Kill();
        await Eventually.TrueAsync(async () => !(await Plexus.ListActorsAsync()).Contains(("lifetime", "kept")),
            "the owned actor ends with the last process holding a handle to it");
    }

    [Fact]
    public async Task ACallInFlightKeepsItsActorAliveWhenTheLastHandleIsDropped()
    {
        var counter = Plexus.Actor(() => new Counter(1)).Remote();
        var call = counter.Call(c => c.AddLaterAsync(1));
        counter.Dispose();
        await Plexus.CollectGarbageAsync();
        Assert.Equal(2, await call.GetAsync(TimeSpan.FromSeconds(30)));
    }
}
