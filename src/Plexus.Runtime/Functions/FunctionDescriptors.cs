using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Plexus.Protocol.Messages;

namespace Plexus.Functions;

/// <summary>
/// Turns a delegate into a <see cref="FunctionDescriptor"/>, refusing at submission what a worker
/// could not run: closures that capture variables, delegates bound to objects, open generic
/// methods, dynamic assemblies. Closed generics are described with their type arguments.
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
    /// <remarks>
    /// Cached as <see cref="Describe"/> is: every actor call names its method, and one descriptor per
    /// method rather than per call spares the reflection, and lets the node's task events (which hold
    /// the descriptor until their next report) refer to an object that is not young garbage.
    /// </remarks>
    public static FunctionDescriptor DescribeMember(MethodBase method) => Cache.GetOrAdd(method, Create);

    private static FunctionDescriptor Create(MethodBase method)
    {
        var declaring = method.DeclaringType
            ?? throw new NotSupportedException($"{method.Name} is a global method of its module; tasks and remote functions must be methods of a type.");
        if (method.ContainsGenericParameters || declaring.ContainsGenericParameters)
        {
            var open = TypeArgumentsOf(method).Where(t => t.IsGenericParameter).Select(t => t.Name).Distinct();
            throw new NotSupportedException(
                $"{declaring.Name}.{method.Name} has open type parameters ({string.Join(", ", open)}); a worker runs one instantiation, " +
                "so give them all, as in Describe<int> or Pair<string>.Twice.");
        }

        var typeArguments = TypeArgumentsOf(method);
        if (method.Module.Assembly.IsDynamic || typeArguments.Any(InDynamicAssembly))
        {
            throw new NotSupportedException($"{declaring.Name}.{method.Name} uses a dynamic assembly, which worker processes cannot load.");
        }

        var definition = declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring;
        return new FunctionDescriptor(
            method.Module.Assembly.FullName!,
            definition.FullName!,
            method.Name,
            method.MetadataToken,
            typeArguments.Length == 0 ? null : [.. typeArguments.Select(t => t.AssemblyQualifiedName!)]);
    }

    // The declaring type's arguments (those of enclosing types included), then the method's: the
    // order in which FunctionInvoker closes the definition again.
    private static Type[] TypeArgumentsOf(MethodBase method) =>
        [.. method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : [], .. method.IsGenericMethod ? method.GetGenericArguments() : []];

    private static bool InDynamicAssembly(Type type) =>
        type.HasElementType ? InDynamicAssembly(type.GetElementType()!)
        : type.Assembly.IsDynamic || (type.IsGenericType && type.GetGenericArguments().Any(InDynamicAssembly));
}
