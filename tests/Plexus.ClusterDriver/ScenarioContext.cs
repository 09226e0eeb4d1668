using System.Text.Json;

namespace Plexus.ClusterDriver;

/// <summary>
/// What a scenario is given: its arguments, and a directory shared with the test. At a checkpoint
/// the driver writes <c>NAME.reached</c> there and waits for the test to write <c>NAME.go</c>, so the
/// test can look at the cluster (or change it) at a known point of the job.
/// </summary>
internal sealed record ScenarioContext(string Directory, IReadOnlyList<string> Arguments)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    // A test that stops answering must not leave a driver waiting for ever.
    private static readonly TimeSpan CheckpointTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Tells the test the job is at <paramref name="name"/> and waits until it says to go on.</summary>
    /// <exception cref="TimeoutException">The test did not answer within three minutes.</exception>
    public async Task CheckpointAsync(string name)
    {
        await SharedFiles.WriteAsync(Path.Combine(Directory, name + ".reached"), "");
        var go = Path.Combine(Directory, name + ".go");
        using var deadline = new CancellationTokenSource(CheckpointTimeout);
        while (!File.Exists(go))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The test did not write {go} within {CheckpointTimeout}.");
            }
        }
    }
}
