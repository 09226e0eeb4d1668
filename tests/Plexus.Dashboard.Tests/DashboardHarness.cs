using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control;
using Plexus.Control.Service;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Dashboard.Tests;

/// <summary>
/// A control service in the test's process with the dashboard's web application over it on an
/// in-memory server (no sockets), and what nodes would tell the service: registrations,
/// heartbeats, jobs and task events. Disposed per test.
/// </summary>
internal sealed class DashboardHarness : IAsyncDisposable
{
    public const string ClusterToken = "dashboard-test-cluster-token";
    public const string ReadOnlyToken = "dashboard-test-read-only-token";

    private readonly WebApplication _app;

    private DashboardHarness(ControlService service, WebApplication app)
    {
        Service = service;
        _app = app;
        Control = new InProcessControlClient(service);
    }

    public ControlService Service { get; }

    public InProcessControlClient Control { get; }

    public static async Task<DashboardHarness> StartAsync()
    {
        var service = new ControlService(
            new ControlServiceSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), new InMemoryControlStore(), TimeProvider.System, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        var options = new DashboardOptions { ClusterToken = ClusterToken, ReadOnlyToken = ReadOnlyToken };
        var app = DashboardServer.Build(options, Task.FromResult(service), NullLoggerFactory.Instance, web => web.UseTestServer());
        await app.StartAsync();
        return new DashboardHarness(service, app);
    }

    /// <summary>A client that does not follow redirects and keeps no cookies: each test says what it sends.</summary>
    public HttpClient Browser() => _app.GetTestServer().CreateClient();

    /// <summary>A client with the session cookie that opening <c>/?token=</c> sets.</summary>
    public async Task<HttpClient> SignedInAsync()
    {
        var browser = Browser();
        using var opened = await browser.GetAsync(new Uri("/?token=" + ReadOnlyToken, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var cookie = opened.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        return browser;
    }

    public static async Task<JsonElement> JsonAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>An 8-byte node id, as nodes draw them.</summary>
    public static byte[] NodeId(ulong value)
    {
        var id = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(id, value);
        return id;
    }

    /// <summary>A 16-byte job id.</summary>
    public static byte[] JobId(byte value) => [.. Enumerable.Repeat(value, 16)];

    /// <summary>A task of <paramref name="job"/>: the job's id, then the task's path.</summary>
    public static ByteString TaskId(byte[] job, ulong path)
    {
        var id = new byte[24];
        job.CopyTo(id, 0);
        BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(16), path);
        return ByteString.CopyFrom(id);
    }

    /// <summary>An object that <paramref name="task"/> made: the task's id, then the index.</summary>
    public static ByteString ObjectId(ByteString task, uint index)
    {
        var id = new byte[task.Length + 4];
        task.Span.CopyTo(id);
        BinaryPrimitives.WriteUInt32BigEndian(id.AsSpan(task.Length), index);
        return ByteString.CopyFrom(id);
    }

    public static Proto.TaskEvent Event(ByteString task, Proto.TaskEventKind kind, long micros, string name = "", int workerPid = 0) =>
        new() { TaskId = task, Kind = kind, UnixMicros = micros, Name = name, WorkerPid = workerPid, Worker = workerPid == 0 ? 0 : 1 };

    public Task ReportAsync(byte[] node, params Proto.TaskEvent[] events) => ReportAsync(node, store: null, events);

    /// <summary>Task events and, when given, the node's object store, as a node reports them.</summary>
    public Task ReportAsync(byte[] node, Proto.StoreReport? store, params Proto.TaskEvent[] events)
    {
        var request = new Proto.ReportTaskEventsRequest { NodeId = ByteString.CopyFrom(node), Store = store };
        request.Events.AddRange(events);
        return Control.ReportTaskEventsAsync(request);
    }

    /// <summary>
    /// Does what <paramref name="call"/> does while playing node <paramref name="node"/>: takes the
    /// log request the call makes and answers it with <paramref name="reply"/>; what was asked comes back.
    /// </summary>
    public NodeLogCall<T> AnsweringLogRequestAsync<T>(byte[] node, Proto.ReadNodeLogReply reply, Func<Task<T>> call)
    {
        var result = call();
        var asked = AnswerOneAsync(node, reply);
        return new NodeLogCall<T>(result, asked);
    }

    private async Task<Proto.LogRequest> AnswerOneAsync(byte[] node, Proto.ReadNodeLogReply reply)
    {
        var request = Assert.Single(await Control.TakeNodeRequestsAsync(node, TimeSpan.FromSeconds(10)));
        await Control.AnswerNodeRequestAsync(new Proto.AnswerNodeRequestRequest { NodeId = ByteString.CopyFrom(node), RequestId = request.RequestId, Log = reply });
        return request.Log;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Control.DisposeAsync();
        await Service.DisposeAsync();
    }
}

/// <summary>A call of the dashboard that a node's log read answered, and the request the node took.</summary>
internal sealed class NodeLogCall<T>(Task<T> result, Task<Proto.LogRequest> asked)
{
    public Task<T> Result { get; } = WhenBothAsync(result, asked);

    public Proto.LogRequest Asked => asked.Result;

    private static async Task<T> WhenBothAsync(Task<T> result, Task<Proto.LogRequest> asked)
    {
        await asked;
        return await result;
    }
}
