using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Plexus.Cli.Jobs;
using Plexus.Control;
using Plexus.Hosting.Packages;
using Plexus.Protocol.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus submit [--working-dir DIR] [--env K=V]... [--no-wait] -- dotnet App.dll args</c>: uploads
/// the working directory as a package (only what the cluster lacks is sent), runs the command on
/// the cluster (on the head's node while it is alive) in the node's copy of it, with PLEXUS_ADDRESS
/// and PLEXUS_TOKEN set so <c>PlexusRuntime.StartAsync()</c> joins the cluster, and prints its
/// output until it ends. Exit code 0 when the job SUCCEEDED, 1 otherwise. Ctrl+C stops following
/// and leaves the job running; <c>--no-wait</c> prints the job's id and returns at once.
/// </summary>
internal static class SubmitCommand
{
    // A blob upload may take long; the other calls are small.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CliContext context)
    {
        var workingDir = new Option<DirectoryInfo>("--working-dir")
        {
            Description = "The folder uploaded and run in (the application's build output). Default: the current directory.",
            HelpName = "DIR",
            DefaultValueFactory = _ => new DirectoryInfo(Directory.GetCurrentDirectory()),
        };
        var env = new Option<string[]>("--env")
        {
            Description = "An environment variable for the driver, NAME=VALUE; repeat for more.",
            HelpName = "K=V",
            AllowMultipleArgumentsPerToken = false,
        };
        env.Validators.Add(ValidateEnvironment);
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job's id and return once it is submitted, without following its output." };
        var commandLine = new Argument<string[]>("COMMAND")
        {
            Description = "The driver's command line, after --: e.g. -- dotnet App.dll args.",
            Arity = ArgumentArity.OneOrMore,
        };
        var head = new HeadConnection();
        var command = new Command("submit", "Run a driver on the cluster from a folder uploaded as a package, and print its output until it ends.")
        {
            workingDir, env, noWait, head.Address, head.TokenFile, commandLine,
        };
        command.SetAction((parsed, cancellationToken) => JobCommandErrors.RunAsync("submit", context, async () =>
        {
            var folder = parsed.GetRequiredValue(workingDir);
            if (!folder.Exists)
            {
                throw new UsageException($"--working-dir: {folder.FullName} does not exist.");
            }

            var (client, _) = head.Open(parsed, context, CallTimeout);
            await using (client.ConfigureAwait(false))
            {
                var manifest = await PackageUploader.UploadAsync(client, folder.FullName, context.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
                var request = new SubmitJobRequest { PackageId = manifest.Id, Submitter = $"{Environment.UserName}@{Environment.MachineName}" };
                request.Argv.AddRange(parsed.GetRequiredValue(commandLine));
                foreach (var pair in parsed.GetValue(env) ?? [])
                {
                    int equals = pair.IndexOf('=', StringComparison.Ordinal);
                    request.Env[pair[..equals]] = pair[(equals + 1)..];
                }

                var submission = await client.SubmitJobAsync(request, cancellationToken).ConfigureAwait(false);
                string id = submission.SubmissionId;
                if (parsed.GetValue(noWait))
                {
                    await context.Output.WriteLineAsync(id).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                await context.Error.WriteLineAsync($"Submitted job {id}; its output follows (Ctrl+C stops following, the job goes on).").ConfigureAwait(false);
                return await FollowAsync(client, id, context, cancellationToken).ConfigureAwait(false);
            }
        }));
        return command;
    }

    // Until the job ends, or Ctrl+C: then the job goes on, and the user is told how to find it again.
    private static async Task<int> FollowAsync(ControlClient client, string id, CliContext context, CancellationToken cancellationToken)
    {
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            interrupted.Cancel();
        }))
        {
            try
            {
                await JobOutputPrinter.PrintAsync(client, id, 0, follow: true, context, interrupted.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync(
                    $"Stopped following job {id}; it goes on. Follow it with 'plexus logs {id} --follow', stop it with 'plexus stop-job {id}'.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }

        var ended = (await client.ListSubmittedJobsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.SubmissionId == id);
        if (ended is null)
        {
            await context.Error.WriteLineAsync($"Job {id} ended, and the cluster no longer lists it.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var status = SubmittedJobStatus.From(ended, DateTimeOffset.UtcNow);
        await context.Error.WriteLineAsync(status.Message.Length > 0 ? $"Job {id} {status.State}: {status.Message}" : $"Job {id} {status.State}.").ConfigureAwait(false);
        return ended.State == SubmissionState.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void ValidateEnvironment(OptionResult result)
    {
        foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
        {
            if (pair.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                result.AddError($"--env '{pair}': give NAME=VALUE.");
            }
        }
    }
}
