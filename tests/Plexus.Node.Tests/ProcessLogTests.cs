using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Plexus.Node.Tests;

public sealed class ProcessLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("plexus-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AFileRotatesBySizeAndKeepsOnlyTheNewestFiles()
    {
        using (var file = new RollingLogFile(_directory, "worker-42", maxBytes: 100, keptFiles: 2))
        {
            for (var i = 0; i < 10; i++)
            {
                file.WriteLine(Encoding.UTF8.GetBytes($"line {i} " + new string('x', 30)));
            }
        }

        // 38 bytes a line, so 2 a file: the last two lines in the current file, the four before in the two kept.
        Assert.Equal(["worker-42.1.log", "worker-42.2.log", "worker-42.log"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("line 8 ", File.ReadAllLines(Path.Combine(_directory, "worker-42.log"))[0], StringComparison.Ordinal);
        Assert.StartsWith("line 6 ", File.ReadAllLines(Path.Combine(_directory, "worker-42.1.log"))[0], StringComparison.Ordinal);
        Assert.StartsWith("line 4 ", File.ReadAllLines(Path.Combine(_directory, "worker-42.2.log"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ALineIsJsonWithTimeLevelCategoryMessageAndTheEventsValues()
    {
        using (var provider = new ProcessLogProvider(new RollingLogFile(_directory, "node-1"), LogLevel.Information, [new("job", "j1")]))
        {
            var logger = provider.CreateLogger("Plexus.Test");
            using (logger.BeginScope(new Dictionary<string, object?> { ["TaskId"] = "t9" }))
            {
                logger.LogWarning("Task {Name} waits", "Sort.Run");
            }

            logger.LogDebug("below the minimum: not written");
        }

        var line = Assert.Single(File.ReadAllLines(Path.Combine(_directory, "node-1.log")));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.True(DateTimeOffset.TryParse(json.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("Warning", json.GetProperty("level").GetString());
        Assert.Equal("Plexus.Test", json.GetProperty("category").GetString());
        Assert.Equal("Task Sort.Run waits", json.GetProperty("message").GetString());
        Assert.Equal("Sort.Run", json.GetProperty("Name").GetString());
        Assert.Equal("t9", json.GetProperty("TaskId").GetString());
        Assert.Equal("j1", json.GetProperty("job").GetString());
    }

    [Fact]
    public void TheLogDirectoryListsItsFilesAndReadsRangesFromTheStartOrTheEnd()
    {
        File.WriteAllText(Path.Combine(_directory, "worker-5.log"), "0123456789");
        File.WriteAllText(Path.Combine(_directory, "notes.txt"), "not a log");
        var directory = new NodeLogDirectory(_directory);

        var files = directory.List();
        var middle = directory.Read("worker-5.log", 2, 3);
        var end = directory.Read("worker-5.log", -4, 100);

        Assert.Equal([("worker-5.log", 10L)], files.Select(f => (f.Name, f.Size)));
        Assert.Equal(("234", 2L, 10L), (Encoding.UTF8.GetString(middle.Data), middle.Offset, middle.Size));
        Assert.Equal(("6789", 6L), (Encoding.UTF8.GetString(end.Data), end.Offset));
        Assert.Throws<ArgumentException>(() => directory.Read("../worker-5.log", 0, 10));
        Assert.Throws<FileNotFoundException>(() => directory.Read("worker-6.log", 0, 10));
    }
}
