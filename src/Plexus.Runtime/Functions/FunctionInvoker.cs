using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Functions;

/// <summary>
/// A task's function as a worker runs it: the method found from its descriptor, the object a
/// non-capturing lambda runs on, and how to get a value out of what it returns (awaiting
/// <see cref="Task{TResult}"/> and <see cref="ValueTask{TResult}"/>; <see cref="Done"/> for
/// methods that return nothing, once they have run).
/// </summary>
internal sealed class FunctionInvoker
{
    private static readonly ConcurrentDictionary<FunctionDescriptor, FunctionInvoker> Cache = new();

    private static readonly object BoxedDone = default(Done);

    private readonly MethodBase _method;
    private readonly MethodInvoker _invoker;
    private readonly object? _target;
    private readonly ConstructorInvoker? _constructor;
    private readonly PropertyInfo? _taskResult;
    private readonly bool _isValueTask;
    private readonly bool _returnsNothing;

    private FunctionInvoker(MethodBase method)
    {
        _method = method;
        _invoker = MethodInvoker.Create(method);
        ParameterTypes = [.. method.GetParameters().Select(p => p.ParameterType)];
        if (method is ConstructorInfo constructor)
        {
            _constructor = ConstructorInvoker.Create(constructor);
            ResultType = constructor.DeclaringType!;
            return;
        }

        // A non-capturing lambda compiles to an instance method of a field-less class: any instance will do.
        _target = method.IsStatic ? null : RuntimeHelpers.GetUninitializedObject(method.DeclaringType!);
        var returnType = ((MethodInfo)method).ReturnType;
        if (ResultShape.ReturnsNothing(returnType))
        {
            _returnsNothing = true;
            ResultType = typeof(Done);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            _taskResult = returnType.GetProperty(nameof(Task<int>.Result));
            ResultType = returnType.GetGenericArguments()[0];
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            _isValueTask = true;
            ResultType = returnType.GetGenericArguments()[0];
        }
        else
        {
            ResultType = returnType;
        }
    }

    public Type[] ParameterTypes { get; }

    /// <summary>The type of the value the task produces (the awaited type for async methods).</summary>
    public Type ResultType { get; }

    /// <summary>Finds the function; throws <see cref="FunctionUnavailableException"/> saying what is missing.</summary>
    public static FunctionInvoker Resolve(FunctionDescriptor function) => Cache.GetOrAdd(function, static f =>
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(f.Assembly));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new FunctionUnavailableException(
                $"The worker cannot load assembly '{f.Assembly}' of function {f.Type}.{f.Method}: {e.Message} " +
                "Every assembly with task code must be deployed with the application.");
        }

        MethodBase? method;
        try
        {
            method = assembly.ManifestModule.ResolveMethod(f.MetadataToken);
        }
        catch (ArgumentException)
        {
            method = null;
        }

        if (method is null || method.Name != f.Method || method.DeclaringType?.FullName != f.Type)
        {
            throw new FunctionUnavailableException(
                $"Function {f.Type}.{f.Method} is not in the worker's copy of '{f.Assembly}': the driver and workers run different builds.");
        }

        return new FunctionInvoker(f.TypeArguments is not null || method.ContainsGenericParameters ? Close(method, f) : method);
    });

    // The token names the generic definition; the descriptor's type arguments close its declaring
    // type first, then the method.
    private static MethodBase Close(MethodBase definition, FunctionDescriptor f)
    {
        var arguments = (f.TypeArguments ?? []).Select(name => Type.GetType(name, throwOnError: false) ?? throw new FunctionUnavailableException(
            $"Function {f.Type}.{f.Method} is closed over type {name}, which this process cannot load: every assembly whose types task code uses must be deployed with the application.")).ToArray();
        var declaring = definition.DeclaringType!;
        var typeCount = declaring.IsGenericTypeDefinition ? declaring.GetGenericArguments().Length : 0;
        var methodCount = definition.IsGenericMethodDefinition ? definition.GetGenericArguments().Length : 0;
        if (arguments.Length != typeCount + methodCount)
        {
            throw new FunctionUnavailableException(
                $"Function {f.Type}.{f.Method} takes {typeCount + methodCount} type arguments here but came with {arguments.Length}: the driver and workers run different builds.");
        }

        try
        {
            var method = typeCount == 0 ? definition
                : MethodBase.GetMethodFromHandle(definition.MethodHandle, declaring.MakeGenericType(arguments[..typeCount]).TypeHandle)!;
            return methodCount == 0 ? method : ((MethodInfo)method).MakeGenericMethod(arguments[typeCount..]);
        }
        catch (ArgumentException e)
        {
            throw new FunctionUnavailableException(
                $"Function {f.Type}.{f.Method} cannot be closed over [{string.Join(", ", arguments.Select(TypeNames.Readable))}] here ({e.Message}): the driver and workers run different builds.");
        }
    }

    /// <summary>
    /// Runs the function and returns its (awaited) result: on <paramref name="instance"/> (an
    /// actor) when given, else as a static method or non-capturing lambda.
    /// </summary>
    public async ValueTask<object?> InvokeAsync(object? instance, object?[] args)
    {
        object? returned;
        try
        {
            returned = _invoker.Invoke(instance ?? _target, args.AsSpan());
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }

        if (_returnsNothing)
        {
            switch (returned)
            {
                case Task task:
                    await task.ConfigureAwait(false);
                    break;
                case ValueTask valueTask:
                    await valueTask.ConfigureAwait(false);
                    break;
            }

            return BoxedDone;
        }

        if (_taskResult is not null)
        {
            var task = (Task)returned!;
            await task.ConfigureAwait(false);
            return _taskResult.GetValue(task);
        }

        if (_isValueTask)
        {
            var asTask = (Task)returned!.GetType().GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
            await asTask.ConfigureAwait(false);
            return asTask.GetType().GetProperty(nameof(Task<int>.Result))!.GetValue(asTask);
        }

        return returned;
    }

    /// <summary>
    /// The function as a delegate of <paramref name="delegateType"/> (a remote function read from a
    /// value); throws <see cref="FunctionUnavailableException"/> when its signature does not fit.
    /// </summary>
    public Delegate CreateDelegate(Type delegateType)
    {
        var created = _method is MethodInfo method ? Delegate.CreateDelegate(delegateType, _target, method, throwOnBindFailure: false) : null;
        return created ?? throw new FunctionUnavailableException(
            $"Function {this}({string.Join(", ", ParameterTypes.Select(t => t.Name))}) cannot be called as a {TypeNames.Readable(delegateType)}: " +
            "the value was written for another signature, so the writer and this process run different builds, or the value is read as another type than it was written.");
    }

    /// <summary>Runs a constructor (an actor's): the new instance.</summary>
    public object Construct(object?[] args) =>
        (_constructor ?? throw new InvalidOperationException($"{this} is not a constructor.")).Invoke(args.AsSpan());

    /// <inheritdoc />
    public override string ToString() => $"{_method.DeclaringType?.Name}.{_method.Name}";
}
