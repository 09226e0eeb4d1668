using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;

namespace Plexus.ObjectStore;

/// <summary>
/// One large shared-memory segment per node, mapped read/write by every process on the node. Objects are
/// placed in it by offset (see <see cref="ArenaAllocator"/>) so that readers on the node see them without
/// copying or serialization.
/// </summary>
/// <remarks>
/// <para>
/// The backing file is unlinked as soon as it is opened: it has no name on disk, so it can never outlive
/// the processes that map it, even when they are killed with SIGKILL. Its memory is returned to the system
/// when the last process unmaps it. Other processes reach it through <see cref="OpenPath"/>, the creator's
/// <c>/proc/{pid}/fd/{fd}</c> entry, which exists only while the creator is alive; a process must open the
/// arena before the creator exits, and needs the same user (ptrace access) as the creator.
/// </para>
/// <para>
/// Linux only. Members are safe to call from several threads, but <see cref="Dispose"/> unmaps the memory:
/// spans and pointers obtained earlier must not be used afterwards.
/// </para>
/// </remarks>
internal sealed unsafe class SharedMemoryArena : IDisposable
{
    /// <summary>The smallest capacity <see cref="Create"/> accepts.</summary>
    internal const long MinimumCapacity = 1 << 20;

    private const string DefaultDirectory = "/dev/shm";

    // Keeps the fd behind OpenPath alive: the file has no name, so this handle is how other processes find it.
    private readonly FileStream _file;
    private readonly MemoryMappedFile _mapping;
    private readonly MemoryMappedViewAccessor _view;

    // The start of the mapping; valid from construction until Dispose releases the view's pointer.
    private readonly byte* _basePointer;

    // 1 once Dispose has run; makes Dispose idempotent and turns later access into ObjectDisposedException.
    private int _disposed;

    private SharedMemoryArena(FileStream file, MemoryMappedFile mapping, MemoryMappedViewAccessor view, byte* basePointer, string openPath, long capacity)
    {
        _file = file;
        _mapping = mapping;
        _view = view;
        _basePointer = basePointer;
        OpenPath = openPath;
        Capacity = capacity;
    }

    /// <summary>
    /// The path another process on this node passes to <see cref="Open"/>: <c>/proc/{creatorPid}/fd/{fd}</c>.
    /// Valid only while the creating process is alive and has not disposed the arena.
    /// </summary>
    public string OpenPath { get; }

    /// <summary>The size of the mapping in bytes.</summary>
    public long Capacity { get; }

    /// <summary>The address of byte 0 of the mapping in this process (each process maps it at its own address).</summary>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    public byte* BasePointer
    {
        get
        {
            ThrowIfDisposed();
            return _basePointer;
        }
    }

    /// <summary>
    /// Creates a new arena of <paramref name="capacity"/> bytes backed by an unlinked file in
    /// <paramref name="directory"/>.
    /// </summary>
    /// <param name="capacity">The size in bytes; at least 1 MiB. Pages are only allocated when first written.</param>
    /// <param name="directory">A tmpfs directory for the backing file; default <c>/dev/shm</c>.</param>
    /// <exception cref="ObjectStoreUnavailableException">
    /// <paramref name="capacity"/> is below 1 MiB, the directory is missing or not writable, or the file cannot be sized or mapped.
    /// </exception>
    public static SharedMemoryArena Create(long capacity, string? directory = null)
    {
        directory ??= DefaultDirectory;
        if (capacity < MinimumCapacity)
        {
            throw new ObjectStoreUnavailableException(
                $"The object store capacity must be at least {MinimumCapacity} bytes (1 MiB); {capacity} was requested.");
        }

        if (!Directory.Exists(directory))
        {
            throw new ObjectStoreUnavailableException(
                $"The object store directory '{directory}' does not exist. Point the store at an existing tmpfs directory such as /dev/shm.");
        }

        var path = Path.Combine(directory, $"plexus-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreUnavailableException(
                $"Cannot create the object store file in '{directory}': {ex.Message} Check that the directory is writable by this user.", ex);
        }

        try
        {
            // Unlink before anything else can fail or the process can be killed: from here on the file is
            // reachable only through open descriptors, so no crash can leave it behind in the directory.
            File.Delete(path);
            file.SetLength(capacity);
            var openPath = $"/proc/{Environment.ProcessId}/fd/{file.SafeFileHandle.DangerousGetHandle()}";
            return Map(file, openPath, capacity);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            throw new ObjectStoreUnavailableException(
                $"Cannot size or map a {capacity}-byte object store in '{directory}': {ex.Message}", ex);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Maps an arena created by another process (or this one) from its <see cref="OpenPath"/>.</summary>
    /// <param name="openPath">The creator's <see cref="OpenPath"/>.</param>
    /// <param name="capacity">The creator's <see cref="Capacity"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    /// <exception cref="ObjectStoreUnavailableException">
    /// The path cannot be opened (the creator exited or runs as another user), or the file is smaller than <paramref name="capacity"/>.
    /// </exception>
    public static SharedMemoryArena Open(string openPath, long capacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(openPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);

        FileStream file;
        try
        {
            file = new FileStream(openPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreUnavailableException(
                $"Cannot open the object store at '{openPath}': {ex.Message} The creating process may have exited, or runs as another user.", ex);
        }

        try
        {
            // Mapping past the end would silently grow the file; a short file means a wrong path or capacity.
            if (file.Length < capacity)
            {
                throw new ObjectStoreUnavailableException(
                    $"The object store at '{openPath}' holds {file.Length} bytes, less than the expected {capacity}. Check the path and capacity.");
            }

            return Map(file, openPath, capacity);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            throw new ObjectStoreUnavailableException($"Cannot map the object store at '{openPath}': {ex.Message}", ex);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Returns a span over <paramref name="length"/> bytes of the mapping starting at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie within the arena.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    public Span<byte> GetSpan(long offset, int length)
    {
        CheckRange(offset, length);
        return new Span<byte>(BasePointer + offset, length);
    }

    /// <summary>
    /// Returns a <see cref="Memory{T}"/> over <paramref name="count"/> values of <typeparamref name="T"/> starting
    /// at byte <paramref name="offset"/>. Pinning it is free (the mapping never moves); using it after the
    /// arena is disposed throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <remarks>Offsets from <see cref="ArenaAllocator"/> are 64-byte aligned and so suit any primitive <typeparamref name="T"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie within the arena.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    public Memory<T> GetMemory<T>(long offset, int count)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckRange(offset, (long)count * sizeof(T));
        return new ArenaMemoryManager<T>(this, (T*)(BasePointer + offset), count).Memory;
    }

    /// <summary>
    /// Faults in, writable, every page overlapping the range, so a following large write runs at copy speed
    /// instead of taking a page fault per 4 KiB. Uses <c>madvise(MADV_POPULATE_WRITE)</c> on Linux 5.14+
    /// and falls back to touching one word per page. Contents are not changed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie within the arena.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    /// <exception cref="ObjectStoreUnavailableException">The kernel cannot back the pages: the tmpfs is full.</exception>
    public void Prefault(long offset, long length)
    {
        CheckRange(offset, length);
        if (length > 0)
        {
            PagePrefaulter.Prefault(BasePointer, offset, length);
        }
    }

    /// <summary>Unmaps the arena in this process. Idempotent. The memory lives on while any process maps it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mapping.Dispose();
        _file.Dispose();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static SharedMemoryArena Map(FileStream file, string openPath, long capacity)
    {
        // leaveOpen: the FileStream must outlive the mapping because its fd is what OpenPath names.
        var mapping = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = mapping.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;

            // Acquired once for the arena's lifetime, so hot paths use a raw pointer without ref-counting.
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new SharedMemoryArena(file, mapping, view, pointer + view.PointerOffset, openPath, capacity);
        }
        catch
        {
            view?.Dispose();
            mapping.Dispose();
            throw;
        }
    }

    private void CheckRange(long offset, long length)
    {
        if ((ulong)offset > (ulong)Capacity || (ulong)length > (ulong)(Capacity - offset))
        {
            ThrowRangeOutside(offset, length);
        }
    }

    private void ThrowRangeOutside(long offset, long length) =>
        throw new ArgumentOutOfRangeException(
            nameof(offset), $"The range of {length} bytes at offset {offset} does not lie within the arena of {Capacity} bytes.");
}
