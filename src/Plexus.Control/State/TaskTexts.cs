namespace Plexus.Control.State;

/// <summary>
/// The task table's reasons and error types, each kept once while some task holds it and known by
/// a number, so that a <see cref="TaskSlot"/> holds numbers only. A slot array with strings in it is
/// one the garbage collector must scan, and a reason read from a node's report is a new string per
/// event (every queued task says why it waits): kept by the slot until the task's next step, it was
/// copied into the older generations and died there. Here a text costs one lookup per step that
/// carries one, and the common texts stay one object each.
/// </summary>
/// <remarks>
/// Counted: a text goes when the last task holding it lets it go (a failure's message or a wait's
/// list of ids is often one task's own), and its number is given to the next new text. Not
/// thread-safe (the table's lock guards it).
/// </remarks>
internal sealed class TaskTexts
{
    /// <summary>The number of no text (the empty string); never counted.</summary>
    public const int None = 0;

    // By number: the text, and how many holds it has (both unused for a free number).
    private readonly List<string> _texts = [string.Empty];
    private readonly List<int> _holds = [0];
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    // Numbers whose text went, for the next new text.
    private readonly Stack<int> _free = new();

    /// <summary>How many texts are held.</summary>
    public int Count => _numbers.Count;

    /// <summary>The text of number <paramref name="number"/>.</summary>
    public string this[int number] => _texts[number];

    /// <summary>
    /// Makes <paramref name="held"/> (a number this table gave, or <see cref="None"/>) the number of
    /// <paramref name="text"/>: holds the new text and lets the old one go, unless they are the same.
    /// </summary>
    public void Set(ref int held, string text)
    {
        if (_texts[held] == text)
        {
            return;
        }

        var number = Hold(text);
        Release(held);
        held = number;
    }

    /// <summary>Lets the text of <paramref name="held"/> go and sets it to <see cref="None"/>.</summary>
    public void Clear(ref int held)
    {
        Release(held);
        held = None;
    }

    private int Hold(string text)
    {
        if (text.Length == 0)
        {
            return None;
        }

        if (!_numbers.TryGetValue(text, out var number))
        {
            if (_free.TryPop(out number))
            {
                _texts[number] = text;
            }
            else
            {
                number = _texts.Count;
                _texts.Add(text);
                _holds.Add(0);
            }

            _numbers.Add(text, number);
        }

        _holds[number]++;
        return number;
    }

    private void Release(int number)
    {
        if (number == None || --_holds[number] > 0)
        {
            return;
        }

        _numbers.Remove(_texts[number]);
        _texts[number] = string.Empty;
        _free.Push(number);
    }
}
