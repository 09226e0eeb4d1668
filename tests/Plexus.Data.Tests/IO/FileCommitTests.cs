using MessagePack;
using MessagePack.Resolvers;
using Plexus.Data.Files;
using Plexus.Data.Sinks;

namespace Plexus.Data.Tests.IO;

public sealed class FileCommitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Output => Path.Combine(_temp.Path, "out");

    [Fact]
    public async Task ARetriedBlockLeavesOneFileWithItsRowsOnce()
    {
        var commit = Text("run-1");
        commit.Prepare();
        await OutputHarness.WriteTextBlockAsync(commit, 0, "a", "b");
        var retried = await OutputHarness.WriteTextBlockAsync(commit, 0, "a", "b");
        var other = await OutputHarness.WriteTextBlockAsync(commit, 1, "c");
        commit.Commit([retried, other]);

        Assert.Equal(["_SUCCESS", "part-000000.txt", "part-000001.txt"], OutputHarness.Entries(Output));
        Assert.Equal(["a", "b", "c"], OutputHarness.ReadLines(Output));
    }

    [Fact]
    public void AnAttemptThatDoesNotCompleteLeavesNoFile()
    {
        var commit = Text("run-1");
        commit.Prepare();
        using (var attempt = commit.BeginPart(3))
        {
            attempt.Stream.Write("half a block"u8);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(commit.RunDirectory));
    }

    [Fact]
    public async Task PartsAreInvisibleToReadersUntilTheCommit()
    {
        var commit = Text("run-1");
        commit.Prepare();
        var part = await OutputHarness.WriteTextBlockAsync(commit, 0, "a");

        Assert.Empty(FileLister.List(Output));
        commit.Commit([part]);
        Assert.Equal(["a"], OutputHarness.ReadLines(Output));
    }

    [Fact]
    public async Task AnAbortLeavesNothingVisibleAndNoTemporaryFiles()
    {
        var commit = Text("run-1");
        commit.Prepare();
        await OutputHarness.WriteTextBlockAsync(commit, 0, "a");
        using var unfinished = commit.BeginPart(1);
        unfinished.Stream.Write("b\n"u8);

        commit.Abort();

        Assert.Empty(OutputHarness.Entries(Output));
        Assert.Empty(FileLister.List(Output));
    }

    [Fact]
    public async Task TheManifestListsEveryFileWithItsRowsAndBytes()
    {
        var commit = Text("run-42");
        commit.Prepare();
        WrittenPart[] parts = [await OutputHarness.WriteTextBlockAsync(commit, 1, "bb", "cc"), await OutputHarness.WriteTextBlockAsync(commit, 0, "a")];
        commit.Commit(parts);

        var manifest = SuccessManifest.TryRead(Output)!;
        Assert.Equal("run-42", manifest.RunId);
        Assert.Equal(["part-000000.txt", "part-000001.txt"], manifest.Files.Select(f => f.Name));
        Assert.Equal([1L, 2L], manifest.Files.Select(f => f.Rows!.Value));
        Assert.Equal(manifest.Files.Select(f => new FileInfo(Path.Combine(Output, f.Name)).Length), manifest.Files.Select(f => f.Bytes));
        Assert.Equal((3L, 8L), (manifest.Rows, manifest.Bytes));
        Assert.False(Directory.Exists(Path.Combine(Output, FileCommit.TemporaryDirectoryName)));
    }

    [Fact]
    public async Task ReadersReadOnlyWhatTheManifestListsAndSkipTemporaryFiles()
    {
        var commit = Text("run-1");
        commit.Prepare();
        commit.Commit([await OutputHarness.WriteTextBlockAsync(commit, 0, "committed")]);
        File.WriteAllText(Path.Combine(Output, "stray.txt"), "stray\n");
        Directory.CreateDirectory(Path.Combine(Output, "_temporary", "run-2"));
        File.WriteAllText(Path.Combine(Output, "_temporary", "run-2", "part-000000.txt"), "uncommitted\n");

        Assert.Equal(["committed"], OutputHarness.ReadLines(Output));
    }

    [Fact]
    public async Task ALateAttemptCannotWriteOnceTheRunIsCommitted()
    {
        var commit = Text("run-1");
        commit.Prepare();
        var part = await OutputHarness.WriteTextBlockAsync(commit, 0, "a");
        using var zombie = commit.BeginPart(0);
        zombie.Stream.Write("z\n"u8);
        commit.Commit([part]);

        Assert.ThrowsAny<IOException>(() => zombie.Complete(new BlockWriteResult(1, 2)));
        Assert.Throws<IOException>(() => commit.BeginPart(1));
        Assert.Equal(["a"], OutputHarness.ReadLines(Output));
    }

    [Fact]
    public async Task ErrorIfExistsRefusesADirectoryWithDataBeforeWriting()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, ".keep"), "");
        var first = Text("run-1");
        first.Prepare();
        first.Commit([await OutputHarness.WriteTextBlockAsync(first, 0, "a")]);

        var second = Text("run-2");
        var error = Assert.Throws<IOException>(second.Prepare);
        Assert.Contains(Output, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(second.RunDirectory));
    }

    [Fact]
    public async Task OverwriteReplacesTheOldFilesAtCommit()
    {
        var first = Text("run-1");
        first.Prepare();
        first.Commit([await OutputHarness.WriteTextBlockAsync(first, 0, "old0"), await OutputHarness.WriteTextBlockAsync(first, 1, "old1")]);

        var second = Text("run-2", WriteMode.Overwrite);
        second.Prepare();
        var part = await OutputHarness.WriteTextBlockAsync(second, 0, "new0");
        Assert.Equal(["old0", "old1"], OutputHarness.ReadLines(Output));
        second.Commit([part]);

        Assert.Equal(["new0"], OutputHarness.ReadLines(Output));
        Assert.Equal(["_SUCCESS", "part-000000.txt"], OutputHarness.Entries(Output));
    }

    [Fact]
    public async Task AppendKeepsTheOldFilesAndListsBoth()
    {
        var first = Text("aaaaaaaa-run", WriteMode.Append);
        first.Prepare();
        first.Commit([await OutputHarness.WriteTextBlockAsync(first, 0, "first")]);
        var second = Text("bbbbbbbb-run", WriteMode.Append);
        second.Prepare();
        second.Commit([await OutputHarness.WriteTextBlockAsync(second, 0, "second")]);

        Assert.Equal(["first", "second"], OutputHarness.ReadLines(Output));
        Assert.Equal(["part-aaaaaaaa-000000.txt", "part-bbbbbbbb-000000.txt"], SuccessManifest.TryRead(Output)!.Files.Select(f => f.Name));
    }

    [Fact]
    public async Task ACommitRunAgainAfterFailingHalfwayMovesNothingTwice()
    {
        var commit = Text("run-1");
        commit.Prepare();
        WrittenPart[] parts = [await OutputHarness.WriteTextBlockAsync(commit, 0, "a"), await OutputHarness.WriteTextBlockAsync(commit, 1, "b")];

        // As if the first commit stopped after moving block 0.
        File.Move(Path.Combine(commit.RunDirectory, parts[0].FileName), Path.Combine(Output, parts[0].FileName));
        commit.Commit(parts);

        Assert.Equal(["a", "b"], OutputHarness.ReadLines(Output));
    }

    [Fact]
    public async Task ACommitAndItsPartsTravelAsValues()
    {
        var options = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolverAllowPrivate.Instance);
        var driverSide = new FileCommit(Output, "run-1", WriteMode.Append, "txt", nodeId: "node-2");
        driverSide.Prepare();

        var workerSide = MessagePackSerializer.Deserialize<FileCommit>(MessagePackSerializer.Serialize(driverSide, options), options);
        var part = await OutputHarness.WriteTextBlockAsync(workerSide, 4, "x");
        var returned = MessagePackSerializer.Deserialize<WrittenPart>(MessagePackSerializer.Serialize(part, options), options);
        var manifest = driverSide.Commit([returned]);

        Assert.Equal((driverSide.OutputDirectory, driverSide.RunId, driverSide.Mode, driverSide.Extension, driverSide.NodeId), (workerSide.OutputDirectory, workerSide.RunId, workerSide.Mode, workerSide.Extension, workerSide.NodeId));
        Assert.Equal("node-2", manifest.NodeId);
        Assert.Equal(["x"], OutputHarness.ReadLines(Output));
    }

    public void Dispose() => _temp.Dispose();

    private FileCommit Text(string runId, WriteMode mode = WriteMode.ErrorIfExists) =>
        new(Output, runId, mode, TextBlockWriter<string>.Extension);
}
