namespace Plexus.Benchmarks.Micro;

/// <summary>Figures for putting and getting objects in the driver, as in <c>ray microbenchmark</c>.</summary>
internal static class ObjectFigures
{
    /// <summary>The large array: 800 MiB of doubles.</summary>
    public const long LargeBytes = 800L << 20;

    private const int LargePuts = 5;
    private const int NestedRefs = 10_000;

    /// <summary>Puts of an int, each freed at once: calls per second.</summary>
    public static double PutCalls(PlexusRuntime plexus)
    {
        void PutAndFree() => plexus.Put(42).Dispose();

        return Measure.CallRate(PutAndFree);
    }

    /// <summary>Awaits of an int that is already ready: calls per second.</summary>
    public static async Task<double> GetCallsAsync(PlexusRuntime plexus)
    {
        using var reference = plexus.Put(42);
        async Task<long> Gets()
        {
            for (var i = 0; i < 1_000; i++)
            {
                if (await reference != 42)
                {
                    throw new InvalidOperationException("A get returned another value than the one put.");
                }
            }

            return 1_000;
        }

        await Measure.WarmUpAsync(Gets);
        return await Measure.RateAsync(Gets);
    }

    /// <summary>Puts of an 800 MiB double[] (timed until the object is ready): GB per second.</summary>
    public static async Task<double> PutGigabytesAsync(PlexusRuntime plexus, double[] large)
    {
        async Task PutOnce()
        {
            using var reference = plexus.Put(large);
            // Put may return before the copy into the store is done; the object is ready after it.
            var (ready, _) = await plexus.WaitAsync([reference], count: 1);
            if (ready.Count != 1)
            {
                throw new InvalidOperationException($"{reference} is not ready after waiting for it.");
            }
        }

        await PutOnce();
        var seconds = 0.0;
        for (var i = 0; i < LargePuts; i++)
        {
            seconds += await Measure.SecondsAsync(PutOnce);
        }

        return LargePuts * LargeBytes / seconds / 1e9;
    }

    /// <summary>Zero-copy views of the 800 MiB array, which is in the store: GB per second (O(1) per get).</summary>
    public static async Task<double> GetGigabytesAsync(PlexusRuntime plexus, double[] large)
    {
        using var reference = plexus.Put(large);
        async Task<long> Views()
        {
            for (var i = 0; i < 100; i++)
            {
                using var view = await reference.GetViewAsync();
                if (view.Memory.Length != large.Length)
                {
                    throw new InvalidOperationException($"A view has {view.Memory.Length} elements, not {large.Length}.");
                }
            }

            return 100 * LargeBytes;
        }

        await Measure.WarmUpAsync(Views);
        return await Measure.RateAsync(Views) / 1e9;
    }

    /// <summary>Put an array of 10,000 refs, then get it back: round trips per second.</summary>
    public static async Task<double> GetObjectContaining10kRefsAsync(PlexusRuntime plexus)
    {
        var inner = new ObjectRef<int>[NestedRefs];
        for (var i = 0; i < inner.Length; i++)
        {
            inner[i] = plexus.Put(i);
        }

        try
        {
            async Task<long> PutAndGet()
            {
                using var outer = plexus.Put(inner);
                // The refs read back are the same objects: disposing them would free the originals.
                var back = await outer;
                if (back.Length != NestedRefs)
                {
                    throw new InvalidOperationException($"An object of {NestedRefs} refs came back with {back.Length}.");
                }

                return 1;
            }

            await Measure.WarmUpAsync(PutAndGet);
            return await Measure.RateAsync(PutAndGet);
        }
        finally
        {
            PlexusRuntime.Free(inner);
        }
    }

    /// <summary>An array whose pages are all touched, so the first put does not pay for page faults.</summary>
    public static double[] CreateLargeArray()
    {
        var array = GC.AllocateUninitializedArray<double>(checked((int)(LargeBytes / sizeof(double))));
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = i;
        }

        return array;
    }
}
