namespace Plexus.Data.Exchanges;

/// <summary>
/// <c>Distinct</c>'s key: the row itself, wrapped in a one-field tuple so that a null row is a key
/// like any other (a dictionary takes no null key) and the stable hash reads the row field by field.
/// </summary>
internal static class DistinctRow
{
    public static ValueTuple<T> Of<T>(T row) => new(row);
}
