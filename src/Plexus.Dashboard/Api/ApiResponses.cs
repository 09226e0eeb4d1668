using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Plexus.Dashboard.Api;

/// <summary>How every API endpoint answers: JSON that is never cached, or 400 with the reason for a malformed query.</summary>
internal static class ApiResponses
{
    /// <summary>Writes what <paramref name="read"/> gives as JSON; an <see cref="ArgumentException"/> (a malformed id, filter or page token) is a 400 with its message.</summary>
    public static async Task JsonAsync<T>(HttpContext context, Func<ClusterReader, HttpContext, Task<T>> read, JsonTypeInfo<T> type)
    {
        context.Response.Headers.CacheControl = "no-store";
        T value;
        try
        {
            value = await read(await ReaderAsync(context).ConfigureAwait(false), context).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await BadRequestAsync(context, e.Message).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(value, type, contentType: null, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The reader of the control service, once it serves.</summary>
    public static Task<ClusterReader> ReaderAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<Task<ClusterReader>>().WaitAsync(context.RequestAborted);

    /// <summary>A 400 saying what is wrong with the request.</summary>
    public static Task BadRequestAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    /// <summary>The query parameter <paramref name="name"/>, or null when absent or empty.</summary>
    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } text ? text : null;

    /// <summary>
    /// <c>held=true</c>: also the objects drivers and workers hold in their own memory, asked of every
    /// process of the alive nodes (off unless asked: it costs each of them a walk of its table).
    /// </summary>
    /// <exception cref="ArgumentException">A value other than <c>true</c> or <c>false</c>.</exception>
    public static bool IncludeHeld(HttpContext context) => Query(context, "held") switch
    {
        null or "false" => false,
        "true" => true,
        var text => throw new ArgumentException($"held '{text}' is not true or false."),
    };
}
