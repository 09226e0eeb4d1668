using Plexus.Core;
using Plexus.Worker;

namespace Plexus.Tests;

/// <summary>Which exceptions the worker reports as retryable, given a task's retry options.</summary>
public sealed class ExceptionRetryPolicyTests
{
    private static readonly ExceptionRetryPolicy AnyException = new(Types: null);
    private static readonly ExceptionRetryPolicy IOExceptions = new([typeof(IOException).FullName!]);

    [Fact]
    public void WithNoTypesListedEveryUserExceptionIsRetryable()
    {
        Assert.True(Allows(AnyException, new InvalidOperationException("boom")));
        Assert.True(Allows(AnyException, new FileNotFoundException("gone")));
    }

    [Fact]
    public void FailuresThatWouldRecurAreNeverRetryable()
    {
        Assert.False(Allows(AnyException, new FunctionUnavailableException("no such method")));
        Assert.False(Allows(AnyException, new ValueSerializationException("cannot decode")));
    }

    [Fact]
    public void AListedTypeMatchesItselfAndTheTypesDerivedFromIt()
    {
        Assert.True(Allows(IOExceptions, new IOException("disk")));
        Assert.True(Allows(IOExceptions, new FileNotFoundException("gone")));
        Assert.False(Allows(IOExceptions, new InvalidOperationException("boom")));
    }

    [Fact]
    public void AFailureRelayedFromAnAwaitedTaskIsMatchedByTheExceptionThatTaskThrew()
    {
        var relayed = (TaskFailedException)Errors.ToException(Errors.FromException(new FileNotFoundException("gone"), "child"));

        Assert.True(Allows(IOExceptions, relayed));
    }

    private static bool Allows(ExceptionRetryPolicy policy, Exception thrown) => policy.Allows(thrown, Errors.FromException(thrown, "task"));
}
