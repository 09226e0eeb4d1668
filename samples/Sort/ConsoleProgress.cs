namespace Plexus.Samples.Sort;

/// <summary>
/// Prints each progress report as a line as soon as it is made (unlike <see cref="Progress{T}"/>,
/// which posts reports to the thread pool, so lines could come out of order).
/// </summary>
internal sealed class ConsoleProgress : IProgress<string>
{
    public void Report(string value) => Console.WriteLine($"  {value}");
}
