namespace Plexus.Cli.Tests;

/// <summary>
/// Runs the <c>plexus</c> command line in this process through its entry point, with an
/// environment of the test's own (nothing of the test process's leaks in) and captured output.
/// </summary>
internal sealed class CliRun
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    /// <param name="defaultTempDirectory">What stands for /tmp/plexus: a test's own directory, so no test sees a real node.</param>
    public CliRun(string defaultTempDirectory)
    {
        DefaultTempDirectory = defaultTempDirectory;
    }

    public string DefaultTempDirectory { get; }

    public CliRun WithVariable(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Output = output,
            Error = error,
            GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
            DefaultTempDirectory = DefaultTempDirectory,
        };
        int exitCode = await PlexusCommandLine.RunAsync(args, context);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>What one run of the tool gave: its exit code and what it printed.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
