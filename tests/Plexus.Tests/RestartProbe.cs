namespace Plexus.Tests;

/// <summary>
/// An actor for restart tests: it records the entries it is given, can hold a call until the test
/// lets it go (so the test kills its worker while calls are in flight), and can refuse to be built
/// twice (a constructor that throws on restart).
/// </summary>
public sealed class RestartProbe
{
    private readonly List<int> _entries = [];

    /// <param name="birthFile">When given: the first construction creates it, and a later one throws because it exists.</param>
    public RestartProbe(string? birthFile = null)
    {
        if (birthFile is null)
        {
            return;
        }

        if (File.Exists(birthFile))
        {
            throw new InvalidOperationException($"{birthFile} exists: this actor was built once already.");
        }

        File.WriteAllText(birthFile, string.Empty);
    }

    /// <summary>Adds an entry; returns every entry so far, in the order they came.</summary>
    public int[] Append(int entry)
    {
        _entries.Add(entry);
        return [.. _entries];
    }

    public int ProcessId() => Environment.ProcessId;

    /// <summary>Writes this process's id to <paramref name="startedFile"/>, then waits until <paramref name="releaseFile"/> exists.</summary>
    public async Task<int> HoldAsync(string startedFile, string releaseFile)
    {
        var written = startedFile + ".tmp";
        await File.WriteAllTextAsync(written, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(written, startedFile, overwrite: true);
        while (!File.Exists(releaseFile))
        {
            await Task.Delay(20);
        }

        return Environment.ProcessId;
    }
}

/// <summary>A counter whose value survives restarts through its checkpoints.</summary>
public sealed class CheckpointedCounter(int start) : IActorCheckpoint<int>
{
    private int _value = start;

    public int Add(int amount) => _value += amount;

    public int ProcessId() => Environment.ProcessId;

    public int SaveCheckpoint() => _value;

    public void RestoreCheckpoint(int state) => _value = state;
}
