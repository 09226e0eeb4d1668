namespace Plexus.ClusterDriver;

/// <summary>An exception as the driver saw it, by type name and message, for the test to check.</summary>
internal sealed record Failure(string Type, string Message)
{
    /// <summary>What <paramref name="work"/> threw, or null when it completed.</summary>
    public static async Task<Failure?> OfAsync(Func<Task> work)
    {
        try
        {
            await work();
            return null;
        }
        catch (Exception e)
        {
            return new Failure(e.GetType().Name, e.Message);
        }
    }
}
