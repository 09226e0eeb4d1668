using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Transport;

namespace Plexus.Node.Tests;

public sealed class PreambleDeadlineTests
{
    [Fact]
    public async Task AConnectionThatNeverPresentsItselfIsClosedAfterTheDeadline()
    {
        var time = new FakeTimeProvider();
        await using var test = new TestNode(options => options.TimeProvider = time);
        var endpoint = TransportEndpoint.Parse($"mem:preamble-deadline-{Guid.NewGuid():N}");
        test.Node.AcceptOn(await InMemoryTransport.Shared.ListenAsync(endpoint));
        await using var silent = await InMemoryTransport.Shared.ConnectAsync(endpoint);

        // It sends nothing; the node's clock moves on, and the node closes its side.
        var closed = ClosedAsync(silent);
        await FakeClock.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => closed.IsCompleted, "the node closes a connection that sent no preamble");

        Assert.True(await closed, "the node wrote to a connection that never presented itself");
    }

    // True once the other side closed without writing anything.
    private static async Task<bool> ClosedAsync(ITransportConnection connection)
    {
        var result = await connection.Input.ReadAsync();
        var empty = result.Buffer.IsEmpty;
        connection.Input.AdvanceTo(result.Buffer.End);
        return result.IsCompleted && empty;
    }
}
