using Plexus.Control.State;

namespace Plexus.Control.Tests.State;

/// <summary>The task table's reasons and error types, kept once each while some task holds them.</summary>
public sealed class TaskTextsTests
{
    [Fact]
    public void EqualTextsShareANumberAndTheEmptyTextIsNone()
    {
        var texts = new TaskTexts();
        int a = TaskTexts.None, b = TaskTexts.None, none = TaskTexts.None;
        texts.Set(ref a, "waits for a free worker");
        texts.Set(ref b, new string("waits for a free worker".ToCharArray()));
        texts.Set(ref none, string.Empty);

        Assert.Equal(a, b);
        Assert.NotEqual(TaskTexts.None, a);
        Assert.Equal("waits for a free worker", texts[a]);
        Assert.Equal(TaskTexts.None, none);
        Assert.Equal(string.Empty, texts[none]);
        Assert.Equal(1, texts.Count);
    }

    [Fact]
    public void ATextGoesWhenTheLastTaskHoldingItLetsGoAndItsNumberIsReused()
    {
        var texts = new TaskTexts();
        int a = TaskTexts.None, b = TaskTexts.None;
        texts.Set(ref a, "failed: boom");
        texts.Set(ref b, "failed: boom");

        texts.Set(ref a, "finished");
        Assert.Equal("failed: boom", texts[b]);
        Assert.Equal(2, texts.Count);

        var freed = b;
        texts.Clear(ref b);
        Assert.Equal(TaskTexts.None, b);
        Assert.Equal(1, texts.Count);

        // The freed number names the next new text; the one still held keeps its own.
        var c = TaskTexts.None;
        texts.Set(ref c, "waits for 2 arguments");
        Assert.Equal(freed, c);
        Assert.Equal("waits for 2 arguments", texts[c]);
        Assert.Equal("finished", texts[a]);
    }

    [Fact]
    public void SettingTheTextAlreadyHeldChangesNothing()
    {
        var texts = new TaskTexts();
        var a = TaskTexts.None;
        texts.Set(ref a, "queued");
        var number = a;
        texts.Set(ref a, "queued");
        Assert.Equal(number, a);

        // Held once, not twice: one release lets it go.
        texts.Clear(ref a);
        Assert.Equal(0, texts.Count);
    }
}
