using System.CommandLine;
using System.CommandLine.Invocation;
using Plexus.Samples.Sort;

// Sort: generate gensort records, sort them with Plexus.Data, and check the result as valsort does.
var root = SortCommandLine.Create(SortRun.RunAsync);
var parsed = root.Parse(args);
if (parsed.Action is ParseErrorAction)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"Sort: error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'Sort --help' for usage.");
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
