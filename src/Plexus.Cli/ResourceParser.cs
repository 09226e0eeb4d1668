using System.Text.Json;

namespace Plexus.Cli;

/// <summary>Reads <c>--resources</c>: a JSON object of custom resource name to amount, e.g. <c>{"ssd": 1, "gpu_mem": 16}</c>.</summary>
internal static class ResourceParser
{
    /// <summary>The resources with flags of their own, refused in <c>--resources</c> so one amount is not given twice.</summary>
    private static readonly Dictionary<string, string> ReservedNames = new(StringComparer.Ordinal)
    {
        ["CPU"] = "--cpus",
        ["object_store_memory"] = "--object-store-memory",
    };

    /// <summary>Parses <paramref name="json"/>; on failure returns null and a message naming the flag.</summary>
    public static IReadOnlyDictionary<string, double>? TryParse(string json, out string? error)
    {
        const string Expected = "--resources must be a JSON object of resource name to non-negative number, e.g. '{\"ssd\": 1}'";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            error = $"{Expected}; '{json}' is not JSON ({e.Message}).";
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"{Expected}; got a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.";
                return null;
            }

            var resources = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (ReservedNames.TryGetValue(property.Name, out var flag))
                {
                    error = $"--resources cannot set '{property.Name}': give it with {flag}.";
                    return null;
                }

                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var amount) || amount < 0 || !double.IsFinite(amount))
                {
                    error = $"{Expected}; '{property.Name}' is {property.Value.GetRawText()}.";
                    return null;
                }

                resources[property.Name] = amount;
            }

            error = null;
            return resources;
        }
    }
}
