namespace Plexus.Cli;

/// <summary>
/// The command line cannot be carried out as given (a value the parser cannot check alone, such as
/// a token that is neither in a file nor in the environment). The tool prints the message and
/// exits with <see cref="ExitCodes.Usage"/>; the message says what to give instead.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
