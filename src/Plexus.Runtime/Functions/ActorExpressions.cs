using System.Linq.Expressions;
using System.Reflection;
using Plexus.Core;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Functions;

/// <summary>
/// Reads the typed lambdas of the actor API: <c>() =&gt; new Counter(10)</c> names a constructor and
/// <c>c =&gt; c.Add(5)</c> a method (or <c>c =&gt; c.Total</c> a property's getter), with their
/// arguments evaluated here, in the caller, and
/// encoded like task arguments. The compiler checks the types; nothing is compiled per call when
/// the arguments are constants or captured variables.
/// </summary>
internal static class ActorExpressions
{
    public static (FunctionDescriptor Constructor, TaskArgument[] Args) Constructor(LambdaExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Body is not NewExpression { Constructor: { } constructor } created)
        {
            throw new ArgumentException($"An actor is created from a constructor call, as in () => new {expression.ReturnType.Name}(...).", nameof(expression));
        }

        return (FunctionDescriptors.DescribeMember(constructor), Arguments(created.Arguments, constructor.GetParameters()));
    }

    /// <summary>Reads a call; <paramref name="declaredResult"/> is the type of its future (<see cref="Done"/> for none).</summary>
    public static (FunctionDescriptor Method, TaskArgument[] Args) Call(LambdaExpression expression, Type declaredResult)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var actor = expression.Parameters[0];
        var (method, arguments) = expression.Body switch
        {
            MethodCallExpression { Method.IsStatic: false } call when call.Object == actor => (call.Method, call.Arguments),
            // A property read runs its getter on the actor, like a method without arguments.
            MemberExpression { Member: PropertyInfo { GetMethod: { IsStatic: false } getter } } read when read.Expression == actor =>
                (getter, (IReadOnlyList<Expression>)[]),
            MemberExpression { Member: FieldInfo field } read when read.Expression == actor => throw new ArgumentException(
                $"{field.Name} is a field of {field.DeclaringType?.Name}; an actor call runs a method or reads a property: make {field.Name} a property.",
                nameof(expression)),
            _ => throw new ArgumentException(
                "An actor call is one method called on the actor, or one of its properties read, as in a => a.Method(...) or a => a.Property.",
                nameof(expression)),
        };

        ResultShape.ThrowIfMismatched(method, declaredResult);
        return (FunctionDescriptors.DescribeMember(method), Arguments(arguments, method.GetParameters()));
    }

    private static TaskArgument[] Arguments(IReadOnlyList<Expression> arguments, ParameterInfo[] parameters)
    {
        var args = new TaskArgument[arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            if (arguments[i] is MethodCallExpression { Method: { Name: nameof(Arg.Of), DeclaringType: var declaring } } marked && declaring == typeof(Arg))
            {
                args[i] = TaskArgument.OfRef((ObjectRef)Evaluate(marked.Arguments[0], i)!);
                continue;
            }

            var value = Evaluate(arguments[i], i);
            try
            {
                args[i] = TaskArgument.OfEncoded(ValueCodec.Encode(value, parameters[i].ParameterType));
            }
            catch (ValueSerializationException e)
            {
                throw new ValueSerializationException($"Argument {i} ({parameters[i].Name}) cannot be sent: {e.Message}", e);
            }
        }

        return args;
    }

    // Constants and captured variables are read directly; anything else is evaluated once by the
    // expression interpreter (no code generation).
    private static object? Evaluate(Expression argument, int position) => argument switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Member: FieldInfo field, Expression: null } => field.GetValue(null),
        MemberExpression { Member: FieldInfo field, Expression: ConstantExpression closure } => field.GetValue(closure.Value),
        UnaryExpression { NodeType: ExpressionType.Convert, Operand: var operand } when operand is ConstantExpression or MemberExpression =>
            Convert(Evaluate(operand, position), argument.Type),
        _ when new ParameterFinder().Finds(argument) =>
            throw new ArgumentException($"Argument {position} uses the actor itself; arguments are evaluated by the caller, before the call is sent."),
        _ => Expression.Lambda(argument).Compile(preferInterpretation: true).DynamicInvoke(),
    };

    private static object? Convert(object? value, Type type) =>
        Expression.Lambda(Expression.Convert(Expression.Constant(value, value?.GetType() ?? typeof(object)), type)).Compile(preferInterpretation: true).DynamicInvoke();

    private sealed class ParameterFinder : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression expression)
        {
            Visit(expression);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found = true;
            return node;
        }
    }
}
