using System.CommandLine;
using System.CommandLine.Invocation;

namespace Plexus.Samples.Sort;

/// <summary>
/// Sort: generate gensort records, sort them with Plexus.Data, and check the result as valsort
/// does. (A class of its own rather than top-level statements: the tests and benchmarks that see
/// this assembly's internals have a <c>Program</c> of their own.)
/// </summary>
internal static class SortProgram
{
    public static async Task<int> Main(string[] args)
    {
        var root = SortCommandLine.Create(SortRun.RunAsync);
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"Sort: error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'Sort --help' for usage.");
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Stop the run, and let it remove its temporary files, instead of ending the process at once.
            e.Cancel = true;
            cancellation.Cancel();
        };

        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancellation.Token);
    }
}
