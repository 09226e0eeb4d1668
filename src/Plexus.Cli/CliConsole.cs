using Spectre.Console;

namespace Plexus.Cli;

/// <summary>The console tables are written to: the context's output, plain and wide when it is not a terminal.</summary>
internal static class CliConsole
{
    // The width tables get when the output is not a terminal.
    private const int RedirectedWidth = 240;

    public static IAnsiConsole Create(CliContext context)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Output),
            Ansi = context.OutputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = context.OutputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!context.OutputIsTerminal)
        {
            // A file or a pipe has no width: 80 columns would wrap addresses and ids mid-word,
            // which greps and people reading logs both trip over.
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
