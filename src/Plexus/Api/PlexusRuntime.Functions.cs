namespace Plexus;

public sealed partial class PlexusRuntime
{
    /// <summary>
    /// Names <paramref name="function"/> so that it can travel inside values (task and actor
    /// arguments, fields of values) and be called where it is read. The rules are those of task
    /// functions: a static method, or a lambda or local function that captures nothing (write it
    /// <c>static</c> and the compiler checks), possibly generic once closed.
    /// </summary>
    /// <typeparam name="TDelegate">The delegate type it is called through where it is read.</typeparam>
    /// <param name="function">The function; one method, not a multicast delegate.</param>
    /// <returns>A value holding the function, which the value codec writes as the method's name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="function"/> is a multicast delegate.</exception>
    /// <exception cref="CapturedStateException">The lambda captures variables (the message names them), or the method is bound to an object.</exception>
    /// <exception cref="NotSupportedException">The method lives in a dynamic assembly, or is generic with its type arguments still open.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is shut down.</exception>
    public RemoteFunction<TDelegate> Function<TDelegate>(TDelegate function)
        where TDelegate : Delegate
    {
        ArgumentNullException.ThrowIfNull(function);
        Core.ThrowIfClosed();
        return Core.DescribeFunction(function);
    }
}
