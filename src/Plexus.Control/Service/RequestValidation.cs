using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Plexus.Control.Service;

/// <summary>
/// Checks the fields of control requests before they reach the tables: malformed input fails with
/// an <see cref="ArgumentException"/> naming the field, and never reaches the store.
/// </summary>
internal static class RequestValidation
{
    /// <summary>Ids are fixed-size binary values; anything longer than this is not one of ours.</summary>
    public const int MaxIdLength = 64;

    public static void Id(ByteString id, string field)
    {
        if (id.IsEmpty || id.Length > MaxIdLength)
        {
            throw new ArgumentException($"{field} must be 1 to {MaxIdLength} bytes, got {id.Length}");
        }
    }

    public static void NotBlank(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{field} must not be empty");
        }
    }

    public static void Amounts(MapField<string, double> amounts, string field)
    {
        foreach (var (name, amount) in amounts)
        {
            if (string.IsNullOrEmpty(name) || !double.IsFinite(amount) || amount < 0)
            {
                throw new ArgumentException(
                    $"{field}['{name}'] = {amount} is not a valid amount: names must be non-empty, amounts finite and >= 0");
            }
        }
    }
}
