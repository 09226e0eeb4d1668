namespace Plexus.Cli.Node;

/// <summary>
/// The end of this process's standard input. The head gives its control service a pipe whose
/// other end only the head holds, so end of file means the head is gone, however it went
/// (SIGKILL included): the service then stops rather than outlive its cluster as an orphan.
/// </summary>
internal static class StandardInputWatch
{
    /// <summary>Completes once standard input reaches end of file (at once for <c>/dev/null</c>).</summary>
    public static Task ClosedAsync() => Task.Run(async () =>
    {
        await using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await input.ReadAsync(buffer).ConfigureAwait(false) > 0)
        {
            // Whatever the head writes is ignored: only the end matters.
        }
    });
}
