using System.Collections.Concurrent;
using Plexus.Protocol.Messages;

namespace Plexus.Functions;

/// <summary>
/// Makes and resolves <see cref="RemoteFunction{TDelegate}"/>: described like a task function
/// where it is made, and resolved where it is read, once per process, function and delegate type.
/// </summary>
internal static class RemoteFunctions
{
    /// <summary>Describes <paramref name="function"/> with the rules and messages of task functions.</summary>
    public static RemoteFunction<TDelegate> Describe<TDelegate>(TDelegate function)
        where TDelegate : Delegate
    {
        var descriptor = FunctionDescriptors.Describe(function);
        return new RemoteFunction<TDelegate>(function, descriptor.DisplayName, descriptor);
    }

    /// <summary>The function's descriptor, as <see cref="Describe{TDelegate}"/> or <see cref="Resolve{TDelegate}"/> stored it.</summary>
    public static FunctionDescriptor DescriptorOf<TDelegate>(RemoteFunction<TDelegate> function)
        where TDelegate : Delegate => (FunctionDescriptor)function.Descriptor;

    /// <summary>
    /// The function named by <paramref name="descriptor"/> as a <typeparamref name="TDelegate"/>;
    /// throws <see cref="FunctionUnavailableException"/> when this process's build has no such
    /// method, or when its signature does not fit <typeparamref name="TDelegate"/>.
    /// </summary>
    public static RemoteFunction<TDelegate> Resolve<TDelegate>(FunctionDescriptor descriptor)
        where TDelegate : Delegate => Resolved<TDelegate>.Cache.GetOrAdd(descriptor, static d =>
            new RemoteFunction<TDelegate>((TDelegate)FunctionInvoker.Resolve(d).CreateDelegate(typeof(TDelegate)), d.DisplayName, d));

    private static class Resolved<TDelegate>
        where TDelegate : Delegate
    {
        // Every function of this delegate type read in this process; a job has few, and they stay callable.
        public static readonly ConcurrentDictionary<FunctionDescriptor, RemoteFunction<TDelegate>> Cache = new();
    }
}
