namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// How the driver tells the suite to inject a failure: it creates a file named after the failure in
/// a directory both share (network namespaces share the file system), and the suite, which watches
/// the directory, kills what the file names. The driver timestamps the moment it asked.
/// </summary>
internal sealed class RecoverySignal(string directory)
{
    public const string KillVictim = "kill-victim";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>The driver's side: asks for <paramref name="failure"/> now.</summary>
    public void Request(string failure) => File.WriteAllText(Path.Combine(directory, failure), DateTime.UtcNow.ToString("O"));

    /// <summary>
    /// The suite's side: completes once the driver asked for <paramref name="failure"/> (true), or
    /// with false when <paramref name="driver"/> ended first.
    /// </summary>
    public async Task<bool> WaitForRequestAsync(string failure, Task driver)
    {
        var path = Path.Combine(directory, failure);
        while (!File.Exists(path))
        {
            if (driver.IsCompleted)
            {
                return false;
            }

            await Task.Delay(Poll);
        }

        return true;
    }
}
