using System.Diagnostics;
using System.Runtime.InteropServices;
using Plexus.Node;
using Plexus.Worker;

namespace Plexus.Hosting;

/// <summary>
/// Starts worker processes that run the runtime assembly's worker entry point with the driver's own
/// dependency file and runtime configuration, so a worker loads exactly the assemblies the
/// driver can load, including the user's task code.
/// </summary>
internal sealed class WorkerLauncher
{
    /// <summary>The runtime's switch for profile-guided tiering, which workers get on unless their node's environment sets it.</summary>
    internal const string TieredPgoVariable = "DOTNET_TieredPGO";

    private readonly string _dotnet = FindDotnetHost();
    private readonly string _runtimeAssembly;
    private readonly (string DepsFile, string? RuntimeConfig) _app;
    private readonly JobId _job;
    private readonly int _inlineThreshold;
    private readonly bool _recordCallSites;

    /// <summary>Workers of this program (the embedded cluster): its own .deps.json and runtime assembly.</summary>
    public WorkerLauncher(JobId job, int inlineThreshold, bool recordCallSites)
        : this(job, inlineThreshold, recordCallSites, FindAppFiles(), RuntimeAssemblyPath())
    {
    }

    private WorkerLauncher(JobId job, int inlineThreshold, bool recordCallSites, (string, string?) app, string runtimeAssembly)
    {
        _job = job;
        _inlineThreshold = inlineThreshold;
        _recordCallSites = recordCallSites;
        _app = app;
        _runtimeAssembly = runtimeAssembly;
    }

    /// <summary>
    /// Workers of the application in <paramref name="folder"/> (a job package): its .deps.json and
    /// runtime configuration, and the Plexus.Runtime.dll it ships, so a worker runs exactly the
    /// versions the job's driver runs. Throws <see cref="InvalidOperationException"/> when the
    /// folder is not a .NET application with Plexus (one *.deps.json with its *.runtimeconfig.json,
    /// besides Plexus.Runtime's own, which is an executable too).
    /// </summary>
    public static WorkerLauncher ForApplication(string folder, int inlineThreshold)
    {
        var runtimeAssembly = Path.Combine(folder, "Plexus.Runtime.dll");
        var configs = Directory.GetFiles(folder, "*.runtimeconfig.json")
            .Select(config => (Deps: config[..^".runtimeconfig.json".Length] + ".deps.json", Config: config))
            .Where(app => File.Exists(app.Deps) && Path.GetFileName(app.Config) != "Plexus.Runtime.runtimeconfig.json").ToList();
        if (configs.Count != 1 || !File.Exists(runtimeAssembly))
        {
            throw new InvalidOperationException(
                $"{folder} is not a Plexus application's folder: it needs Plexus.Runtime.dll and exactly one *.runtimeconfig.json with its *.deps.json (found {configs.Count}).");
        }

        return new WorkerLauncher(JobId.NewRandom(), inlineThreshold, recordCallSites: false, (configs[0].Deps, configs[0].Config), runtimeAssembly);
    }

    public ProcessStartInfo Create(WorkerLaunchContext context)
    {
        var start = new ProcessStartInfo(_dotnet) { UseShellExecute = false };
        start.ArgumentList.Add("exec");
        if (_app.RuntimeConfig is { } runtimeConfig)
        {
            start.ArgumentList.Add("--runtimeconfig");
            start.ArgumentList.Add(runtimeConfig);
        }

        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(_app.DepsFile);
        start.ArgumentList.Add(_runtimeAssembly);
        var settings = new WorkerSettings(context.Process, context.NodeId, _job, context.SocketName, context.ArenaPath,
            context.ArenaCapacity, context.ClusterToken, context.Slots, _inlineThreshold, _recordCallSites, context.SpillDirectory);
        foreach (var (name, value) in settings.ToEnvironment())
        {
            start.Environment[name] = value;
        }

        // Workers run jobs' code for long: profile-guided tiering on unless the node's environment
        // (which a worker inherits) says otherwise, as short-lived test clusters do.
        start.Environment.TryAdd(TieredPgoVariable, "1");
        return start;
    }

    // A worker is `dotnet exec Plexus.Runtime.dll` with the application's .deps.json: in a single-file
    // bundle neither is a file (Location is empty), so no worker could start. Said here, at once,
    // rather than as workers dying before they join.
    private static string RuntimeAssemblyPath()
    {
        var path = typeof(WorkerProgram).Assembly.Location;
        if (string.IsNullOrEmpty(path))
        {
            throw new NotSupportedException(
                "Plexus cannot start worker processes from a single-file application (PublishSingleFile): workers run Plexus.Runtime.dll "
                + "with the application's .deps.json, and a single-file bundle has neither on disk. Publish without "
                + "PublishSingleFile (for example `dotnet publish -c Release`) and run the published output.");
        }

        return path;
    }

    private static string FindDotnetHost()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/: the host is <root>/dotnet.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    private static (string, string?) FindAppFiles()
    {
        var deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? throw new InvalidOperationException("The application's .deps.json file is not known; Plexus needs it to start worker processes.");
        var runtimeConfig = deps[..^".deps.json".Length] + ".runtimeconfig.json";
        return (deps, File.Exists(runtimeConfig) ? runtimeConfig : null);
    }
}
