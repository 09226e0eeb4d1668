using Grpc.Core;
using Grpc.Core.Interceptors;
using Plexus.Control.Service;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Counts every call the control service serves in <see cref="ControlService.Calls"/>, by method
/// name (the last segment of <c>/plexus.control.ControlService/Heartbeat</c>), as it is admitted.
/// </summary>
internal sealed class CallCountingInterceptor(ControlService service) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Count(ServerCallContext context) => service.Calls.Count(context.Method[(context.Method.LastIndexOf('/') + 1)..]);
}
