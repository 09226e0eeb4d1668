namespace Plexus.Control;

/// <summary>Which tasks <see cref="ClusterState.ListTasksAsync"/> lists: every filter left null matches any.</summary>
public sealed record TaskQuery
{
    /// <summary>Only tasks in this state.</summary>
    public ClusterTaskState? State { get; init; }

    /// <summary>Only tasks of this job (its id in hex, as <c>plexus list jobs</c> shows it).</summary>
    public string? JobId { get; init; }

    /// <summary>Only tasks last seen on this node (its id in hex).</summary>
    public string? NodeId { get; init; }

    /// <summary>Only tasks of this name (the task's name, or its function's as <c>Type.Method</c>).</summary>
    public string? Name { get; init; }

    /// <summary>At most this many tasks per page, 1 to 10 000. Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The <see cref="TaskPage.NextPageToken"/> of the page before; null for the first page.</summary>
    public string? PageToken { get; init; }
}

/// <summary>One task or actor call in the cluster's task table.</summary>
/// <param name="TaskId">Its id in hex.</param>
/// <param name="JobId">Its job's id in hex.</param>
/// <param name="Name">Its name, or its function's (<c>Type.Method</c>); an actor call's method. Empty when no report named it.</param>
/// <param name="State">What it is doing.</param>
/// <param name="Reason">Why it waits (pending, infeasible) or the first line of its error (failed); null otherwise.</param>
/// <param name="ErrorType">The exception type it threw, or the kind of failure the system raised; null unless failed.</param>
/// <param name="Attempt">Which attempt the state describes: 0 first, one more per retry.</param>
/// <param name="NodeId">The node it was last seen on, in hex; null when not known.</param>
/// <param name="WorkerPid">The pid of the worker running or that ran it; 0 when none.</param>
/// <param name="ActorId">For an actor call, the actor's id in hex; null for a task.</param>
/// <param name="SubmittedAt">When it was submitted (or first reported).</param>
/// <param name="StartedAt">When its current attempt started; null before.</param>
/// <param name="EndedAt">When it finished or failed; null before.</param>
public sealed record TaskEntry(
    string TaskId, string JobId, string Name, ClusterTaskState State, string? Reason, string? ErrorType, int Attempt, string? NodeId, int WorkerPid,
    string? ActorId, DateTimeOffset SubmittedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

/// <summary>A page of <see cref="ClusterState.ListTasksAsync"/>.</summary>
/// <param name="Tasks">The page's tasks, in submission order.</param>
/// <param name="Total">How many tasks match the query on all pages.</param>
/// <param name="NextPageToken">Pass it as <see cref="TaskQuery.PageToken"/> for the next page; null after the last.</param>
public sealed record TaskPage(IReadOnlyList<TaskEntry> Tasks, long Total, string? NextPageToken);

/// <summary>How many tasks of one function (or name) are in each state.</summary>
/// <param name="Name">The task's name, or its function's.</param>
/// <param name="Counts">By state; states with none are left out.</param>
public sealed record FunctionTaskCounts(string Name, IReadOnlyDictionary<ClusterTaskState, long> Counts);

/// <summary>A worker process of a node, as the node last reported it (about once a second).</summary>
/// <param name="NodeId">Its node's id in hex.</param>
/// <param name="Process">Its process number on the node.</param>
/// <param name="Pid">Its operating-system pid; 0 when not known.</param>
/// <param name="State"><c>idle</c>, <c>busy</c> (holds tasks) or <c>actor</c> (hosts actors only).</param>
/// <param name="Package">The job package whose code it runs; null for an embedded cluster's pool.</param>
/// <param name="CurrentTasks">The ids (hex) of the tasks handed to it and not finished.</param>
/// <param name="Actors">How many actors it hosts.</param>
public sealed record WorkerEntry(string NodeId, int Process, int Pid, string State, string? Package, IReadOnlyList<string> CurrentTasks, int Actors);

/// <summary>An actor of the cluster's actor table (named and restartable actors).</summary>
/// <param name="ActorId">Its id in hex.</param>
/// <param name="JobId">Its job's id in hex.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name; null for an unnamed actor.</param>
/// <param name="ClassName">Its class's full name.</param>
/// <param name="NodeId">The node hosting it, in hex.</param>
/// <param name="State"><c>ALIVE</c>, <c>PENDING</c>, <c>RESTARTING</c> or <c>DEAD</c>.</param>
/// <param name="DeathReason">Why it is dead; null while it lives.</param>
/// <param name="Restarts">How many times it was built again.</param>
public sealed record ActorEntry(
    string ActorId, string JobId, string Namespace, string? Name, string ClassName, string NodeId, string State, string? DeathReason, int Restarts);

/// <summary>A node of the cluster.</summary>
/// <param name="NodeId">Its id in hex.</param>
/// <param name="Address">Where its peers reach it.</param>
/// <param name="State"><c>ALIVE</c> or <c>DEAD</c>.</param>
/// <param name="Resources">What it offers (<c>CPU</c>, <c>object_store_memory</c>, custom resources).</param>
/// <param name="ResourceUsage">What is in use, at its latest heartbeat.</param>
/// <param name="DeathReason">Why it is dead; null while alive.</param>
/// <param name="RegisteredAt">When it joined.</param>
public sealed record NodeEntry(
    string NodeId, string Address, string State, IReadOnlyDictionary<string, double> Resources, IReadOnlyDictionary<string, double> ResourceUsage,
    string? DeathReason, DateTimeOffset RegisteredAt);

/// <summary>A job (one driver program's run) of the cluster.</summary>
/// <param name="JobId">Its id in hex.</param>
/// <param name="State"><c>RUNNING</c> or <c>FINISHED</c>.</param>
/// <param name="Entry">The driver's entry assembly.</param>
/// <param name="Namespace">Its namespace for named actors.</param>
/// <param name="DriverPid">The driver's pid on its machine.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="EndTime">When it finished; null while running.</param>
public sealed record JobEntry(string JobId, string State, string Entry, string Namespace, int DriverPid, DateTimeOffset StartTime, DateTimeOffset? EndTime);

/// <summary>One task's current attempt on a job's timeline.</summary>
/// <param name="TaskId">Its id in hex.</param>
/// <param name="Name">Its name, or its function's.</param>
/// <param name="State">What it is doing.</param>
/// <param name="Attempt">Which attempt the span is.</param>
/// <param name="NodeId">The node it ran on, in hex; null when not known.</param>
/// <param name="WorkerPid">The pid of its worker; 0 when not known.</param>
/// <param name="ActorId">For an actor call, the actor's id in hex; null for a task.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="StartedAt">When it started; null if it never did.</param>
/// <param name="EndedAt">When it ended; null while it runs.</param>
public sealed record TimelineSpan(
    string TaskId, string Name, ClusterTaskState State, int Attempt, string? NodeId, int WorkerPid, string? ActorId,
    DateTimeOffset SubmittedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);
