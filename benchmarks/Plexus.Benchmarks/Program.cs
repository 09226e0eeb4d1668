using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Plexus.Benchmarks;
using Plexus.Benchmarks.Cluster;
using Plexus.Benchmarks.Data;
using Plexus.Benchmarks.Limits;
using Plexus.Benchmarks.Micro;
using Plexus.Benchmarks.Observability;
using Plexus.Benchmarks.Recovery;
using Plexus.Benchmarks.State;

BenchmarkCommand command;
try
{
    command = BenchmarkCommand.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchmarkCommand.Usage);
    return 2;
}

switch (command)
{
    case HelpCommand:
        Console.WriteLine(BenchmarkCommand.Usage);
        return 0;
    case MicroCommand micro:
        return await MicroSuite.RunAsync(micro);
    case ClusterCommand cluster:
        return await ClusterSuite.RunAsync(cluster);
    case ClusterDriverCommand driver:
        return await ClusterDriver.RunAsync(driver.NodeIds);
    case RecoveryCommand recovery:
        return await RecoverySuite.RunAsync(recovery);
    case DataCommand data:
        return await DataSuite.RunAsync(data);
    case ObservabilityCommand observability:
        return await ObservabilitySuite.RunAsync(observability);
    case StateCommand state:
        return await StateSuite.RunAsync(state);
    case RecoveryDriverCommand driver:
        return await RecoveryDriver.RunAsync(driver.Figure, driver.SignalDirectory, driver.NodeIds);
    case TcpSinkCommand sink:
        await TcpStreamLimit.SinkAsync(sink.Address, sink.Port);
        return 0;
    case TcpSourceCommand source:
        await TcpStreamLimit.SourceAsync(source.Address, source.Port, source.Bytes);
        return 0;
    case EchoServerCommand echo:
        await EchoServer.RunAsync(echo.SocketName);
        return 0;
    case BdnCommand bdn:
        // In-process: the default toolchain would generate and build a second project referencing
        // this one (and so all of src/), which is slow and races with concurrent edits.
        var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(bdn.Arguments, config);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    default:
        throw new InvalidOperationException($"Unhandled command {command}.");
}
