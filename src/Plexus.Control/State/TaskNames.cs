namespace Plexus.Control.State;

/// <summary>
/// The task table's function names, each kept once and known by a number: a slot holds the number,
/// and a report's name costs one lookup when a task is first named. Names are never forgotten
/// (a cluster runs few functions); not thread-safe (the table's lock guards it).
/// </summary>
internal sealed class TaskNames
{
    /// <summary>The number of no name (the empty string).</summary>
    public const int None = 0;

    private readonly List<string> _names = [string.Empty];
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal) { [string.Empty] = None };

    /// <summary>The number of <paramref name="name"/>, given it now if it has none.</summary>
    public int Add(string name)
    {
        if (!_numbers.TryGetValue(name, out var number))
        {
            number = _names.Count;
            _names.Add(name);
            _numbers.Add(name, number);
        }

        return number;
    }

    /// <summary>The number of <paramref name="name"/>; null when no task was ever named so.</summary>
    public int? Find(string name) => _numbers.TryGetValue(name, out var number) ? number : null;

    /// <summary>The name of number <paramref name="number"/>.</summary>
    public string this[int number] => _names[number];
}
