using System.Diagnostics;
using System.Globalization;
using Plexus;
using Plexus.Samples.WordCount;

const long GeneratedCorpusBytes = 40L * 1024 * 1024;

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
}
catch (CommandLineException e)
{
    Console.Error.WriteLine($"WordCount: error: {e.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

if (commandLine.ShowHelp)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

string? generatedCorpus = null;
try
{
    IReadOnlyList<string> files;
    if (commandLine.InputPath is { } inputPath)
    {
        files = CorpusChunker.ListFiles(inputPath);
    }
    else
    {
        generatedCorpus = Path.Combine(Path.GetTempPath(), $"plexus-wordcount-{Guid.NewGuid():N}.txt");
        var generating = Stopwatch.StartNew();
        var size = await CorpusGenerator.WriteAsync(generatedCorpus, GeneratedCorpusBytes, cancellationToken: cancellation.Token);
        Console.WriteLine($"Generated a {Format(size)}-byte corpus in {generating.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s: {generatedCorpus}");
        files = [generatedCorpus];
    }

    var starting = Stopwatch.StartNew();
    await using var plexus = await PlexusRuntime.StartAsync(new PlexusOptions(), cancellationToken: cancellation.Token);
    var startup = starting.Elapsed;
    var result = await WordCountJob.RunAsync(plexus, files, new WordCountOptions(), cancellation.Token);

    Console.WriteLine();
    Console.WriteLine("Top 20 words:");
    var rank = 0;
    foreach (var (word, count) in result.Top(20))
    {
        Console.WriteLine($"{++rank,4}  {word,-20} {Format(count),14}");
    }

    Console.WriteLine();
    Console.WriteLine($"Words:          {Format(result.TotalWords)}");
    Console.WriteLine($"Distinct words: {Format(result.DistinctWords)}");
    Console.WriteLine($"Bytes:          {Format(result.Bytes)} in {Format(result.Files)} file(s)");
    Console.WriteLine($"Map tasks:      {Format(result.MapTasks)}");
    Console.WriteLine($"Reduce tasks:   {Format(result.ReduceTasks)}");
    Console.WriteLine($"Elapsed:        {Seconds(result.Elapsed)} s counting, after {Seconds(startup)} s starting the cluster ({plexus.WorkerProcessIds.Count} workers)");

    if (commandLine.OutputPath is { } outputPath)
    {
        await result.WriteTsvAsync(outputPath, cancellation.Token);
        Console.WriteLine($"Wrote {Format(result.DistinctWords)} words to {outputPath}");
    }

    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("WordCount: cancelled.");
    return 130;
}
catch (Exception e) when (e is TaskFailedException or WorkerCrashedException or ObjectLostException or ObjectStoreFullException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"WordCount: failed: {e.Message}");
    return 1;
}
finally
{
    if (generatedCorpus is not null)
    {
        File.Delete(generatedCorpus);
    }
}

static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
