using System.CommandLine.Invocation;
using Plexus.Samples.Sort;

namespace Plexus.Data.Tests.Sort;

public sealed class SortCommandLineTests
{
    [Fact]
    public void NoArgumentsGenerateOneGibibyteWithTheDefaultSeed()
    {
        var settings = Settings([]);

        Assert.Equal(new SortSettings(1L << 30, SortSettings.DefaultSeed, null, null, Keep: false), settings);
        Assert.Equal((1L << 30) / 100, settings.Records);
    }

    [Fact]
    public void OptionsAreRead()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "sorted");

        var settings = Settings(["--size", "256MiB", "--seed", "9", "--output", output, "--keep"]);

        Assert.Equal(new SortSettings(256L << 20, 9, null, output, Keep: true), settings);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--size", "lots")]
    [InlineData("--size", "99")]
    [InlineData("--seed", "-1")]
    [InlineData("--input", "/no/such/folder")]
    public void WrongOptionIsAParseError(params string[] args) =>
        Assert.IsType<ParseErrorAction>(SortCommandLine.Create(NotRun).Parse(args).Action, exactMatch: false);

    [Fact]
    public void InputWithASizeIsAParseError()
    {
        using var temp = new TempDirectory();
        GensortFiles.Write(temp.Path, 10, 1_000, seed: 1, CancellationToken.None);

        var parsed = SortCommandLine.Create(NotRun).Parse(["--input", temp.Path, "--size", "1MiB"]);

        Assert.IsType<ParseErrorAction>(parsed.Action, exactMatch: false);
        Assert.Contains(parsed.Errors, e => e.Message.Contains("--input", StringComparison.Ordinal));
    }

    [Fact]
    public void OutputFolderThatIsNotEmptyIsAParseError()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "old"), "");

        Assert.IsType<ParseErrorAction>(SortCommandLine.Create(NotRun).Parse(["--output", temp.Path]).Action, exactMatch: false);
    }

    [Theory]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1.5 GiB", 3L << 29)]
    [InlineData("2GB", 2_000_000_000)]
    [InlineData("256mib", 256L << 20)]
    [InlineData("1000", 1000)]
    public void SizesAreReadInTheirUnits(string text, long bytes)
    {
        Assert.True(DataSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    private static SortSettings Settings(string[] args)
    {
        SortSettings? settings = null;
        var parsed = SortCommandLine.Create((s, _) =>
        {
            settings = s;
            return Task.FromResult(0);
        }).Parse(args);
        Assert.Empty(parsed.Errors);
        Assert.Equal(0, parsed.Invoke());
        return settings!;
    }

    private static Task<int> NotRun(SortSettings settings, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A command line with errors must not run.");
}
