using System.Runtime.InteropServices;

namespace Plexus.Cli.Node;

/// <summary>
/// SIGTERM or SIGINT (what <c>plexus stop</c> and Ctrl+C send) asking a foreground node to leave
/// the cluster. The signal's default action (ending the process at once) is cancelled, so the
/// node can unregister and stop its workers first. The head's control service ignores SIGINT
/// (<c>interruptStops: false</c>): Ctrl+C reaches the whole foreground process group, and the
/// service must outlive its head's draining; the head stops it with SIGTERM.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _requested;
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _completion;

    public StopSignal(CancellationToken cancellationToken, bool interruptStops = true)
    {
        _requested = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _completion = _requested.Token.Register(() => _received.TrySetResult());
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, interruptStops ? Handle : Ignore);
    }

    /// <summary>Cancelled once a stop is requested.</summary>
    public CancellationToken Token => _requested.Token;

    /// <summary>Completes once a stop is requested.</summary>
    public Task Requested => _received.Task;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _completion.Dispose();
        _requested.Dispose();
    }

    private static void Ignore(PosixSignalContext context) => context.Cancel = true;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _requested.Cancel();
    }
}
