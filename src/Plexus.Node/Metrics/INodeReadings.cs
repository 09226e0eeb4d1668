namespace Plexus.Node;

/// <summary>
/// What a node's metrics read from the node when they are collected: each member takes the
/// node's lock briefly and reads state the node keeps anyway, so collecting costs nothing
/// between scrapes. <see cref="NodeDaemon"/> implements it.
/// </summary>
internal interface INodeReadings
{
    /// <summary>Tasks at this node by state.</summary>
    TaskStateCounts TaskStates();

    /// <summary>Actors hosted here (on a process) and pending here (waiting for CPUs or a node).</summary>
    (int Alive, int Pending) ActorStates();

    /// <summary>Worker processes of this node, started or joined: pools' workers and actors' dedicated processes.</summary>
    int WorkerProcessCount { get; }

    /// <summary>Bytes of the store in use.</summary>
    long StoreUsed { get; }

    /// <summary>Bytes of the store's shared memory.</summary>
    long StoreCapacity { get; }

    /// <summary>Bytes written to spill files since the node started.</summary>
    long BytesSpilled { get; }

    /// <summary>Bytes read back from spill files since the node started.</summary>
    long BytesRestored { get; }

    /// <summary>Bytes of objects copied from peers into this store since the node started.</summary>
    long TransferBytesReceived { get; }

    /// <summary>Bytes of objects sent to peers that copied them since the node started.</summary>
    long TransferBytesSent { get; }
}
