using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Plexus.Protocol.Messages;

namespace Plexus.Functions;

/// <summary>
/// Turns a delegate into a <see cref="FunctionDescriptor"/>, refusing at submission what a worker
/// could not run: closures that capture variables, delegates bound to objects, generic methods,
/// dynamic assemblies.
/// </summary>
internal static class FunctionDescriptors
{
    private static readonly ConcurrentDictionary<MethodBase, FunctionDescriptor> Cache = new();

    public static FunctionDescriptor Describe(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.GetInvocationList().Length != 1)
        {
            throw new ArgumentException("A task or remote function must be one method, not a multicast delegate.", nameof(function));
        }

        var method = function.Method;
        if (function.Target is { } target)
        {
            CheckStateless(target, method);
        }

        return Cache.GetOrAdd(method, Create);
    }

    private static void CheckStateless(object target, MethodInfo method)
    {
        var type = target.GetType();
        if (!type.IsDefined(typeof(CompilerGeneratedAttribute)))
        {
            throw new CapturedStateException(
                $"{type.Name}.{method.Name} is an instance method bound to a {type.Name} object; that object cannot travel with the task or function. " +
                "Use a static method or a lambda that captures nothing.");
        }

        if (type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length > 0)
        {
            var used = CapturedVariables.UsedBy(method);
            var what = used.Count > 0 ? string.Join(", ", used) : "variables of the method that defines it";
            throw new CapturedStateException(
                $"The lambda captures {what}. Tasks and remote functions run in other processes, where captured variables do not exist: " +
                "pass them as arguments instead (a static lambda makes the compiler check this).");
        }
    }

    /// <summary>Names a method or constructor found by reflection (an actor's), refusing what a worker could not run.</summary>
    public static FunctionDescriptor DescribeMember(MethodBase method) => Create(method);

    private static FunctionDescriptor Create(MethodBase method)
    {
        if (method.IsGenericMethod || method.DeclaringType is null || method.DeclaringType.ContainsGenericParameters || method.DeclaringType.IsGenericType)
        {
            throw new NotSupportedException(
                $"{method.DeclaringType?.Name}.{method.Name} is generic; tasks must be non-generic methods (wrap the call in a non-generic one).");
        }

        if (method.Module.Assembly.IsDynamic)
        {
            throw new NotSupportedException($"{method.Name} lives in a dynamic assembly, which worker processes cannot load.");
        }

        return new FunctionDescriptor(method.Module.Assembly.FullName!, method.DeclaringType.FullName!, method.Name, method.MetadataToken);
    }
}
