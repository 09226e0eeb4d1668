using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Plexus.Control.Service;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Refuses every call that does not carry the cluster token, before any handler runs, with
/// <see cref="StatusCode.Unauthenticated"/>. Covers all four call shapes so future streaming
/// methods are protected without further work.
/// </summary>
internal sealed class ClusterTokenInterceptor : Interceptor
{
    private readonly ClusterToken _token;
    private readonly ILogger _logger;

    public ClusterTokenInterceptor(ClusterToken token, ILogger<ClusterTokenInterceptor> logger)
    {
        _token = token;
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (!_token.Matches(context.RequestHeaders.GetValue(ClusterToken.HeaderName)))
        {
            ControlServerLog.TokenRejected(_logger, context.Method, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated, "missing or invalid cluster token (metadata header 'plexus-token')"));
        }
    }
}
