namespace Plexus.Node;

/// <summary>
/// The owner numbers objects in this node's store carry: a process of this node its own; a runtime
/// of another node (a task it submitted ran here) one of its own below -1, so its objects go with
/// it when it exits, as a local owner's do. Both ways: a pull names the owner of what it copies.
/// Called under the node's lock.
/// </summary>
internal sealed class ObjectOwners(LocalAddresses addresses)
{
    private readonly Dictionary<ProcessAddress, int> _numbers = [];
    private readonly Dictionary<int, ProcessAddress> _remote = [];
    private int _next = -2;

    /// <summary>The number <paramref name="owner"/>'s objects carry here, given on first use for an owner of another node.</summary>
    public int NumberOf(ProcessAddress owner)
    {
        if (addresses.IsLocal(owner))
        {
            return owner.Process;
        }

        if (!_numbers.TryGetValue(owner, out var number))
        {
            number = _next--;
            _numbers[owner] = number;
            _remote[number] = owner;
        }

        return number;
    }

    /// <summary>The owner whose objects carry <paramref name="number"/>.</summary>
    public ProcessAddress AddressOf(int number) => _remote.TryGetValue(number, out var owner) ? owner : addresses.Of(number);

    /// <summary>Forgets the owners of other nodes that <paramref name="gone"/> says exited, and returns their numbers.</summary>
    public IReadOnlyList<int> Forget(Func<ProcessAddress, bool> gone)
    {
        var exited = _numbers.Where(o => gone(o.Key)).ToList();
        foreach (var (owner, number) in exited)
        {
            _numbers.Remove(owner);
            _remote.Remove(number);
        }

        return [.. exited.Select(o => o.Value)];
    }
}
