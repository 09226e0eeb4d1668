using Grpc.Core;
using Grpc.Core.Interceptors;
using Plexus.Control.Packages;
using Plexus.Control.Submissions;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Turns the control service's typed refusals into the status codes its clients map back:
/// <see cref="ArgumentException"/> (a malformed request) to <see cref="StatusCode.InvalidArgument"/>,
/// <see cref="PackageNotFoundException"/> (a package or blob asked for by name) and
/// <see cref="SubmissionNotFoundException"/> (a submitted job) to
/// <see cref="StatusCode.NotFound"/>, and any other <see cref="InvalidOperationException"/> (a
/// conflict with the tables) to <see cref="StatusCode.FailedPrecondition"/>, each with the
/// service's message as detail. Unary calls and the blob streams alike.
/// </summary>
internal sealed class ControlErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    /// <summary>The status for a refusal by the service; null for anything else, which fails the call as it is.</summary>
    private static Status? ToStatus(Exception e) => e switch
    {
        ArgumentException => new Status(StatusCode.InvalidArgument, e.Message),
        PackageNotFoundException or SubmissionNotFoundException => new Status(StatusCode.NotFound, e.Message),
        InvalidOperationException => new Status(StatusCode.FailedPrecondition, e.Message),
        _ => null,
    };
}
