namespace Plexus.Cluster.Tests;

/// <summary>Where the fixture finds the real `plexus` tool.</summary>
[Collection(RunAloneCollection.Name)] // they set PLEXUS_CLI, which the cluster tests read
public sealed class PlexusCliTests
{
    [Fact]
    public void RealToolIsTheAssemblyNamedByThePathVariable()
    {
        using var temp = new TempDirectory();
        var assembly = temp.File(PlexusCli.AssemblyName);
        File.WriteAllText(assembly, "");

        var cli = WithPathVariable(assembly, PlexusCli.Real);

        Assert.Equal(assembly, cli.Program.Arguments[0]);
        Assert.Equal(["status", "--json"], cli.Command("status", "--json").Arguments.Skip(1));
    }

    [Fact]
    public void MissingToolIsReportedWithHowToBuildOrNameIt()
    {
        using var temp = new TempDirectory();

        var missing = Assert.Throws<FileNotFoundException>(() => WithPathVariable(temp.File(PlexusCli.AssemblyName), PlexusCli.Real));

        Assert.Contains(PlexusCli.PathVariable, missing.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet build", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RealToolIsBuiltBesideTheTests()
    {
        var found = WithPathVariable(null, PlexusCli.FindAssembly);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, PlexusCli.AssemblyName), found);
    }

    [Fact]
    public async Task ToolBesideTheTestsRuns()
    {
        var cli = WithPathVariable(null, PlexusCli.Real);

        var outcome = await HostCommand.RunAsync(cli.Command("--help"), TimeSpan.FromSeconds(60));

        Assert.True(outcome.ExitCode == 0, $"`plexus --help` failed: {outcome}");
        Assert.Contains("start", outcome.StandardOutput, StringComparison.Ordinal);
    }

    private static T WithPathVariable<T>(string? value, Func<T> action)
    {
        var before = Environment.GetEnvironmentVariable(PlexusCli.PathVariable);
        Environment.SetEnvironmentVariable(PlexusCli.PathVariable, value);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(PlexusCli.PathVariable, before);
        }
    }
}
