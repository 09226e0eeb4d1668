using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Builds a kernel specialized on the best order a key type has: <see cref="NormalizedOrder{TKey}"/>
/// when the key implements <see cref="INormalizedKey{TSelf}"/>, else <see cref="ComparerOrder{TKey}"/>.
/// The choice needs reflection once per kernel, because C# cannot test a generic constraint.
/// </summary>
internal static class KeyOrderDispatch
{
    /// <summary>True when <typeparamref name="TKey"/> implements <see cref="INormalizedKey{TSelf}"/> of itself.</summary>
    public static bool IsNormalized<TKey>()
    {
        // Read off the interfaces: naming INormalizedKey<TKey> for a key that is not one would break its constraint.
        foreach (var implemented in typeof(TKey).GetInterfaces())
        {
            if (implemented.IsGenericType && implemented.GetGenericTypeDefinition() == typeof(INormalizedKey<>)
                && implemented.GenericTypeArguments[0] == typeof(TKey))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Makes a kernel specialized on the key's best order in <paramref name="direction"/>:
    /// <paramref name="normalizedKernel"/> over <see cref="NormalizedOrder{TKey}"/> when the key has a
    /// normalized prefix, else <paramref name="comparerKernel"/> over <see cref="ComparerOrder{TKey}"/>.
    /// Both are open generic classes whose last type parameters are TKey and TOrder, and whose
    /// constructor takes <paramref name="arguments"/>, then the order.
    /// </summary>
    public static TKernel Create<TKernel, TKey>(
        Type normalizedKernel, Type comparerKernel, Type[] leadingTypeArguments, SortDirection direction, params object[] arguments)
    {
        var isNormalized = IsNormalized<TKey>();
        var order = (isNormalized ? typeof(NormalizedOrder<>) : typeof(ComparerOrder<>)).MakeGenericType(typeof(TKey));
        var kernel = (isNormalized ? normalizedKernel : comparerKernel).MakeGenericType([.. leadingTypeArguments, typeof(TKey), order]);
        try
        {
            return (TKernel)Activator.CreateInstance(kernel, [.. arguments, Activator.CreateInstance(order, direction)!])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // The kernel's own argument errors reach the caller as thrown, not wrapped by reflection.
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
