namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// How the driver tells the suite to inject a failure: it creates a file named after the failure in
/// a directory both share (network namespaces share the file system), and the suite, which watches
/// the directory, kills what the file names and acknowledges it once done. The files hold the moments they were written.
/// </summary>
internal sealed class RecoverySignal(string directory)
{
    public const string KillVictim = "kill-victim";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>The driver's side: asks for <paramref name="failure"/> now.</summary>
    public void Request(string failure) => File.WriteAllText(Path.Combine(directory, failure), DateTime.UtcNow.ToString("O"));

    /// <summary>The suite's side: <paramref name="failure"/> has happened (the victim is gone).</summary>
    public void Acknowledge(string failure) => File.WriteAllText(Path.Combine(directory, failure + ".done"), DateTime.UtcNow.ToString("O"));

    /// <summary>The driver's side: completes once the suite acknowledged <paramref name="failure"/>.</summary>
    /// <exception cref="TimeoutException">No acknowledgement within <paramref name="patience"/>.</exception>
    public async Task WaitForAcknowledgementAsync(string failure, TimeSpan patience)
    {
        var path = Path.Combine(directory, failure + ".done");
        var deadline = DateTime.UtcNow + patience;
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The suite did not acknowledge '{failure}' within {patience.TotalSeconds} s.");
            }

            await Task.Delay(Poll);
        }
    }

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
