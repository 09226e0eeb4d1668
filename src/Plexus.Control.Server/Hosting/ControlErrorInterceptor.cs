using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Turns the control service's typed refusals into the status codes its clients map back:
/// <see cref="ArgumentException"/> (a malformed request) to <see cref="StatusCode.InvalidArgument"/>,
/// <see cref="InvalidOperationException"/> (a conflict with the tables) to
/// <see cref="StatusCode.FailedPrecondition"/>, each with the service's message as detail.
/// The service's methods are all unary, so only unary calls are translated.
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
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }
}
