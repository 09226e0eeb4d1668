using System.Runtime.CompilerServices;
using CsvHelper;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// Makes any row type readable and writable by CsvHelper, which maps only types it has a mapper
/// for: a type marked <c>[CsvRecord]</c> keeps the mapper CsvHelper's source generator made for
/// it; any other gets the reflection binding (<see cref="CsvRowShape{T}"/>).
/// </summary>
internal static class CsvBinding<T>
{
    static CsvBinding()
    {
        // A generated mapper registers itself from its assembly's module initializer: run it before looking.
        RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);
        if (!CsvRecordWriter.IsRegistered<T>())
        {
            CsvRecordMapper.Register<T>(reader => new ReflectionCsvMapper<T>(reader, columnPrefix: ""));
            CsvRecordWriter.Register<T>(prefix => new ReflectionCsvWriter<T>(prefix));
        }
    }

    /// <summary>Registers the binding of <typeparamref name="T"/> once; later calls do nothing.</summary>
    public static void Ensure()
    {
        // The static constructor does the work, once per type and thread-safely.
    }
}
