namespace Plexus.Node.Tests;

/// <summary>The owner numbers a node's store carries map back to the owners, those of other nodes included.</summary>
public sealed class ObjectOwnersTests
{
    private const ulong Here = 1;
    private readonly ObjectOwners _owners = new(new LocalAddresses(Here));

    [Fact]
    public void AnOwnerOnAnotherNodeGetsANumberBelowMinusOneThatNamesItAgain()
    {
        var remote = new ProcessAddress(2, 5);

        var number = _owners.NumberOf(remote);

        Assert.True(number < -1, $"A remote owner got {number}.");
        Assert.Equal(number, _owners.NumberOf(remote));
        Assert.Equal(remote, _owners.AddressOf(number));
    }

    [Fact]
    public void ALocalOwnerIsItsOwnProcessNumber()
    {
        var local = new ProcessAddress(Here, 7);

        Assert.Equal(7, _owners.NumberOf(local));
        Assert.Equal(local, _owners.AddressOf(7));
    }

    [Fact]
    public void ForgottenOwnersGiveBackTheirNumbersAndAreNotNamedAnyMore()
    {
        var (gone, stays) = (new ProcessAddress(2, 5), new ProcessAddress(3, 5));
        var (goneNumber, staysNumber) = (_owners.NumberOf(gone), _owners.NumberOf(stays));

        Assert.Equal([goneNumber], _owners.Forget(owner => owner.Node == 2));
        Assert.Equal(stays, _owners.AddressOf(staysNumber));
        Assert.NotEqual(gone, _owners.AddressOf(goneNumber));
    }
}
