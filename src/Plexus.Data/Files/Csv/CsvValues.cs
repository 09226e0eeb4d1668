using CsvHelper;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// The typed reads and writes of one field, as CsvHelper's generated mappers make them: the
/// reflection binding calls these from compiled expressions, so a row costs no boxing.
/// </summary>
internal static class CsvValues
{
    public static string ReadString(CsvReader reader, int index) => reader.GetString(index);

    public static string? ReadNullableString(CsvReader reader, int index) => reader.IsNull(index) ? null : reader.GetString(index);

    public static T Read<T>(CsvReader reader, int index)
        where T : ISpanParsable<T> => reader.Parse<T>(index);

    public static T? ReadNullable<T>(CsvReader reader, int index)
        where T : struct, ISpanParsable<T> => reader.IsNull(index) ? null : reader.Parse<T>(index);

    public static T ReadEnum<T>(CsvReader reader, int index)
        where T : struct, Enum => Enum.Parse<T>(reader.GetString(index), ignoreCase: true);

    public static T? ReadNullableEnum<T>(CsvReader reader, int index)
        where T : struct, Enum => reader.IsNull(index) ? null : ReadEnum<T>(reader, index);

    public static void WriteString(CsvWriter writer, string? value) => writer.WriteField(value);

    public static void WriteBoolean(CsvWriter writer, bool value) => writer.WriteField(value);

    public static void Write<T>(CsvWriter writer, T value)
        where T : IUtf8SpanFormattable => writer.WriteField(value);

    public static void WriteNullable<T>(CsvWriter writer, T? value)
        where T : struct, IUtf8SpanFormattable => writer.WriteField(value);

    public static void WriteEnum<T>(CsvWriter writer, T value)
        where T : struct, Enum => writer.WriteField(value.ToString());

    public static void WriteNullableEnum<T>(CsvWriter writer, T? value)
        where T : struct, Enum => writer.WriteField(value?.ToString());
}
