using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Plexus.Control;
using Plexus.Control.Service;

namespace Plexus.Cluster.Tests.Fuzzing;

/// <summary>
/// Sends the head's control port (gRPC over HTTP/2 cleartext) what a broken or hostile client
/// would: random bytes, the HTTP/2 preface followed by garbage, HTTP/1.1 requests, and gRPC calls
/// with no token or a wrong one (raw, with garbage bodies, and through the real client). A call
/// without the right token that is served, or a port that stops accepting connections, is a failure.
/// </summary>
internal sealed class ControlPortFuzzer(Random random, FuzzTarget target, HttpClient http, ConcurrentQueue<string> failures)
{
    // What a call without the token must get: gRPC's Unauthenticated.
    private const string Unauthenticated = "16";
    private static readonly string[] Methods =
        ["RegisterNode", "Heartbeat", "UnregisterNode", "ListNodes", "RegisterJob", "FinishJob", "ListJobs",
         "MissingBlobs", "UploadBlob", "RegisterPackage", "GetPackageManifest", "DownloadBlob", "NoSuchMethod"];

    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>An HTTP client that speaks HTTP/2 without TLS to the control port, as gRPC clients do.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Runs one attack chosen at random and returns its name.</summary>
    public async Task<string> AttackAsync(CancellationToken cancellationToken)
    {
        switch (random.Next(5))
        {
            case 0:
                await SendRawAsync(random.Bytes(1, 4096), cancellationToken);
                return "random bytes";
            case 1:
                await SendRawAsync([.. Http2Preface, .. random.Bytes(0, 4096)], cancellationToken);
                return "HTTP/2 preface and garbage frames";
            case 2:
                await SendRawAsync(System.Text.Encoding.ASCII.GetBytes(
                    $"POST /plexus.control.ControlService/{Methods[random.Next(Methods.Length)]} HTTP/1.1\r\nHost: x\r\nContent-Length: {random.Next(-5, 99999)}\r\n\r\n")
                    .Concat(random.Bytes(0, 512)).ToArray(), cancellationToken);
                return "HTTP/1.1 request";
            case 3:
                await CallWithoutTokenAsync(cancellationToken);
                return "gRPC call without the right token";
            default:
                await CallThroughClientWithWrongTokenAsync(cancellationToken);
                return "the control client with a wrong token";
        }
    }

    private async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target.Endpoint, cancellationToken);
        }
        catch (SocketException e)
        {
            failures.Enqueue($"{target}: the port no longer accepts connections: {e.SocketErrorCode}");
            return;
        }

        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            socket.Shutdown(SocketShutdown.Send);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Reset, or still open: either is the server's choice for garbage.
        }
    }

    // A gRPC frame (flag, big-endian length, body) of garbage, with no token or a wrong one.
    private async Task CallWithoutTokenAsync(CancellationToken cancellationToken)
    {
        var method = Methods[random.Next(Methods.Length)];
        var body = random.Next(3) == 0 ? [] : random.Bytes(0, 2048);
        var framed = random.Next(4) != 0;
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{target.Endpoint}/plexus.control.ControlService/{method}")
        {
            Content = new ByteArrayContent(framed ? frame : body),
            // HTTP/2 without TLS from the first byte ("prior knowledge"), as gRPC clients speak it.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (random.Next(2) == 0)
        {
            request.Headers.TryAddWithoutValidation(ClusterToken.HeaderName, Convert.ToBase64String(random.Bytes(0, 48)));
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = GrpcStatus(response);
            if (response.IsSuccessStatusCode && status == "0")
            {
                failures.Enqueue($"{target}: {method} without the right token succeeded");
            }

            // An empty ListNodes request decodes, so nothing but the token can refuse it.
            if (method == "ListNodes" && framed && body.Length == 0 && status != Unauthenticated)
            {
                failures.Enqueue($"{target}: ListNodes without the right token got gRPC status {status ?? "none"}, not Unauthenticated (HTTP {(int)response.StatusCode}, {response.Headers}{response.Content.Headers})");
            }
        }
        catch (HttpRequestException e)
        {
            failures.Enqueue($"{target}: a gRPC call failed at the HTTP level: {e.Message}");
        }
    }

    private async Task CallThroughClientWithWrongTokenAsync(CancellationToken cancellationToken)
    {
        await using var client = new ControlClient(new Uri($"http://{target.Endpoint}"), Convert.ToBase64String(random.Bytes(1, 48)));
        try
        {
            await client.ListNodesAsync(cancellationToken);
            failures.Enqueue($"{target}: the control client listed the nodes with a wrong token");
        }
        catch (ClusterTokenRejectedException)
        {
            // Refused, as it must be.
        }
        catch (ControlServiceUnavailableException e)
        {
            failures.Enqueue($"{target}: the control service was unavailable: {e.Message}");
        }
    }

    private static string? GrpcStatus(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-status", out var trailing) ? trailing.First()
        : response.Headers.TryGetValues("grpc-status", out var leading) ? leading.First()
        : null;
}
