using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plexus.Core;
using Plexus.Logging;
using Plexus.Node;
using Plexus.Protocol.Messages;
using Plexus.Worker;

namespace Plexus.Tests;

/// <summary>
/// The task logger's parts without processes: how an entry is made and tagged, how a worker batches,
/// bounds and counts what it sends, and how a driver writes what it receives.
/// </summary>
public sealed class TaskLoggingTests
{
    private static readonly JobId Job = new(0x1111, 0x2222);
    private static readonly TaskId Task = new(Job, 0x33);

    [Fact]
    public void AnEntryCarriesItsMessageStructuredValuesScopesAndTheRunningTask()
    {
        var sink = new RecordingSink();
        var factory = new TaskLoggerFactory(LogLevel.Information, sink, new JobId(9, 9), TimeProvider.System);
        var logger = factory.CreateLogger("Shop.Orders");
        TaskContext.Current = new TaskContext(Task, onWaitChanged: null) { Name = "place-order" };
        try
        {
            using (logger.BeginScope(new Dictionary<string, object?> { ["Customer"] = "ada" }))
            {
                logger.LogWarning(new EventId(42), "Order {OrderId} costs {Price}", 17, 2.5);
            }
        }
        finally
        {
            TaskContext.Current = null;
        }

        var (job, entry) = Assert.Single(sink.Entries);
        Assert.Equal(Job, job);
        Assert.Equal("Shop.Orders", entry.Category);
        Assert.Equal((byte)LogLevel.Warning, entry.Level);
        Assert.Equal(42, entry.EventId);
        Assert.Equal("Order 17 costs 2.5", entry.Message);
        Assert.Equal(Task, entry.Task);
        Assert.Equal("place-order", entry.Function);
        Assert.Null(entry.Actor);
        Assert.Equal(new KeyValuePair<string, string>[] { new("OrderId", "17"), new("Price", "2.5"), new("Customer", "ada") }, entry.Values);
    }

    [Fact]
    public void OutsideATaskAnEntryGoesToTheProcesssJobAndBelowTheMinimumNothingIsMade()
    {
        var sink = new RecordingSink();
        var processJob = new JobId(9, 9);
        var logger = new TaskLoggerFactory(LogLevel.Information, sink, processJob, TimeProvider.System).CreateLogger("c");

        logger.LogDebug("not this");
        Assert.False(logger.IsEnabled(LogLevel.Debug));
        logger.LogError(new InvalidOperationException("boom"), "failed");

        var (job, entry) = Assert.Single(sink.Entries);
        Assert.Equal(processJob, job);
        Assert.Null(entry.Task);
        Assert.Contains("InvalidOperationException: boom", entry.Exception, StringComparison.Ordinal);
    }

    [Fact]
    public void LongTextIsCutSoAnEntrysSizeIsBounded()
    {
        var sink = new RecordingSink();
        var logger = new TaskLoggerFactory(LogLevel.Information, sink, Job, TimeProvider.System).CreateLogger("c");
        var huge = new string('x', 1_000_000);

        logger.LogInformation("Value {Huge}", huge);

        var entry = sink.Entries.Single().Entry;
        Assert.Equal(TaskLogEntries.MaxTextLength + "…(cut)".Length, entry.Message.Length);
        Assert.Equal(TaskLogEntries.MaxValueLength + "…(cut)".Length, entry.Values.Single().Value.Length);
        Assert.True(TaskLogEntries.SizeOf(entry) < 20 * 1024, $"{TaskLogEntries.SizeOf(entry)} bytes");
    }

    [Fact]
    public async Task AWorkersFileTakesATasksEntriesAtItsJobsLevelWhateverTheFilesOwnMinimum()
    {
        var directory = Directory.CreateTempSubdirectory("plexus-task-logs-").FullName;
        try
        {
            var link = new HeldLink();
            using (var file = new ProcessLogProvider(new RollingLogFile(directory, "worker-1"), LogLevel.Information))
            {
                var sink = new WorkerTaskLogSink(file, new TaskLogForwarder(1, link.SendAsync, TimeSpan.Zero, TimeProvider.System));
                var logger = new TaskLoggerFactory(LogLevel.Information, sink, Job, TimeProvider.System).CreateLogger("Shop");
                TaskContext.Current = new TaskContext(Task, onWaitChanged: null) { TaskLogLevel = LogLevel.Debug };
                try
                {
                    logger.LogDebug("a debug job's entry");
                    logger.LogTrace("below the job's level: made nowhere");
                }
                finally
                {
                    TaskContext.Current = null;
                }

                file.CreateLogger("Plexus.Worker").LogDebug("the worker's own line below the file's minimum: not written");
            }

            // The Debug entry is in the file, as it went to the driver; the file's minimum kept the worker's own Debug line out.
            var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(directory, "worker-1.log")))).RootElement;
            Assert.Equal(("Debug", "Shop", "a debug job's entry", Task.ToString()),
                (line.GetProperty("level").GetString(), line.GetProperty("category").GetString(), line.GetProperty("message").GetString(), line.GetProperty("task").GetString()));
            Assert.Equal(["a debug job's entry"], (await link.WaitForAsync(1)).Single().Entries.Select(e => e.Message));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task EntriesLoggedWhileABatchIsOnItsWayLeaveTogetherInOneMessage()
    {
        var link = new HeldLink();
        var forwarder = new TaskLogForwarder(1234, link.SendAsync, TimeSpan.Zero, TimeProvider.System);

        forwarder.Add(Job, Entry("first"));
        await link.WaitForAsync(1);
        for (var i = 0; i < 100; i++)
        {
            forwarder.Add(Job, Entry($"line {i}"));
        }

        link.Release();
        var batches = await link.WaitForAsync(2);
        Assert.Equal(["first"], batches[0].Entries.Select(e => e.Message));
        Assert.Equal(100, batches[1].Entries.Length);
        Assert.Equal([.. Enumerable.Range(0, 100).Select(i => $"line {i}")], batches[1].Entries.Select(e => e.Message));
        Assert.All(batches, b => Assert.Equal(1234, b.Pid));
        Assert.All(batches, b => Assert.Equal(0, b.Dropped));
    }

    [Fact]
    public async Task EntriesPastTheQueuesBoundAreDroppedAndCountedPerJob()
    {
        var link = new HeldLink();
        var size = TaskLogEntries.SizeOf(Entry("line 0000"));
        var forwarder = new TaskLogForwarder(1, link.SendAsync, TimeSpan.Zero, TimeProvider.System, maxQueuedBytes: 10 * size, maxBatchBytes: 4 * size);
        var other = new JobId(7, 7);

        forwarder.Add(Job, Entry("line held"));
        await link.WaitForAsync(1);
        for (var i = 0; i < 1000; i++)
        {
            forwarder.Add(i % 2 == 0 ? Job : other, Entry($"line {i:D4}"));
        }

        link.Release();
        var sent = await Eventually.ValueAsync(
            () => link.Sent, batches => batches.Sum(b => b.Entries.Length + b.Dropped) == 1001, "every entry is sent or counted");

        // Ten fit in the queue; the rest were counted, for the job that logged them; no batch is over its bound.
        Assert.Equal(11, sent.Sum(b => b.Entries.Length));
        Assert.Equal(495, sent.Where(b => b.Job == Job).Sum(b => b.Dropped));
        Assert.Equal(495, sent.Where(b => b.Job == other).Sum(b => b.Dropped));
        Assert.All(sent, b => Assert.True(b.Entries.Sum(TaskLogEntries.SizeOf) <= 4 * size, $"{b.Entries.Length} entries in one batch"));
    }

    [Fact]
    public void TheDriverWritesReceivedEntriesThroughTheProgramsLoggingWithWhereTheyRanAndSaysHowManyWereDropped()
    {
        var log = new RecordingLoggerProvider();
        using var program = LoggerFactory.Create(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        var writer = new TaskLogWriter(program, LogLevel.Information, node: 5);

        writer.Write(new TaskLogs
        {
            Source = new ProcessAddress(0xabc, 3), Job = Job, Pid = 4321, Dropped = 12,
            Entries = [Entry("kept", LogLevel.Warning, "Shop"), Entry("too low", LogLevel.Debug, "Shop")],
        });

        Assert.Equal(2, log.Entries.Count);
        var kept = log.Entries[0];
        Assert.Equal(("Shop", LogLevel.Warning, "kept"), (kept.Category, kept.Level, kept.Message));
        Assert.Equal(Task.ToString(), kept.Values["task"]);
        Assert.Equal("Fn", kept.Values["function"]);
        Assert.Equal(Job.ToString(), kept.Values["job"]);
        Assert.Equal("0000000000000abc", kept.Values["node"]);
        Assert.Equal("4321", kept.Values["pid"]);
        Assert.Equal("v", kept.Values["K"]);
        var dropped = log.Entries[1];
        Assert.Equal((TaskLogWriter.DroppedCategory, LogLevel.Warning), (dropped.Category, dropped.Level));
        Assert.StartsWith("12 log entries of job", dropped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheProgramsLoggingTheDriverShowsEntriesOnItsConsoleWithTheWorkerAndTask()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var writer = new TaskLogWriter(null, LogLevel.Information, node: 5, output, error);

        writer.Write(new TaskLogs { Source = new ProcessAddress(0xabc, 3), Job = Job, Pid = 4321, Entries = [Entry("hello", LogLevel.Information, "Shop")] });
        writer.Write(new TaskLogs { Source = new ProcessAddress(0xabc, 3), Job = Job, Pid = 4321, Entries = [Entry("careful", LogLevel.Error, "Shop")] });

        Assert.Equal($"(worker pid=4321, node=0000000000000abc) info: Shop[task {Task} Fn] hello{Environment.NewLine}", output.ToString());
        Assert.Equal($"(worker pid=4321, node=0000000000000abc) fail: Shop[task {Task} Fn] careful{Environment.NewLine}", error.ToString());
    }

    [Theory]
    [InlineData(6, 0)]
    [InlineData(2, -1)]
    public void ABatchWithALevelOutOfRangeOrANegativeDropCountBreaksTheProtocol(byte level, long dropped)
    {
        var entry = new TaskLogEntry { Time = DateTime.UtcNow, Level = level, Category = "c", Message = "m", Values = [] };
        var logs = new TaskLogs { Job = Job, Pid = 1, Entries = [entry], Dropped = dropped };
        Assert.Throws<ProtocolViolationException>(logs.Validate);
    }

    private static TaskLogEntry Entry(string message, LogLevel level = LogLevel.Information, string category = "c") => new()
    {
        Time = DateTime.UtcNow, Level = (byte)level, Category = category, Message = message, Task = Task, Function = "Fn", Values = [new("K", "v")],
    };

    private sealed class RecordingSink : ITaskLogSink
    {
        public ConcurrentQueue<(JobId Job, TaskLogEntry Entry)> Entries { get; } = new();

        public void Write(JobId job, TaskLogEntry entry, Exception? exception) => Entries.Enqueue((job, entry));
    }

    // A connection whose first send waits until released, so the test decides when the sender may go on.
    private sealed class HeldLink
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<TaskLogs> _sent = new();

        public List<TaskLogs> Sent => [.. _sent];

        public async ValueTask SendAsync(TaskLogs logs)
        {
            _sent.Enqueue(logs);
            await _released.Task;
        }

        public void Release() => _released.SetResult();

        public Task<List<TaskLogs>> WaitForAsync(int batches) =>
            Eventually.ValueAsync(() => Sent, sent => sent.Count >= batches, $"{batches} batches are sent");
    }
}
