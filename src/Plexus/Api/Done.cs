namespace Plexus;

/// <summary>
/// The result of work that returns nothing: a task or actor method that is <c>void</c>, or returns
/// <see cref="Task"/> or <see cref="ValueTask"/>. Its future, <c>ObjectRef&lt;Done&gt;</c>,
/// completes when the work has run and fails with the work's exception
/// (<see cref="TaskFailedException"/>), so it can be awaited, waited on and passed like any other.
/// </summary>
public readonly record struct Done;
