using System.Collections.Frozen;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// The positions of a SELECT's column list, so its rows are read by ordinal. A reader's <c>GetOrdinal</c> builds
/// a table of every column's name on its first call, once per query: on the hot path that was a few KB a turn.
/// </summary>
public sealed class SqlColumns
{
    private readonly FrozenDictionary<string, int> _ordinals;

    /// <param name="list">The column list as written in the SELECT, e.g. <c>"id, brand, last_four"</c>.</param>
    public SqlColumns(string list)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(list);
        var names = list.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(string.IsNullOrEmpty)) throw new ArgumentException($"An empty column name in '{list}'.", nameof(list));
        _ordinals = names.Select((name, ordinal) => KeyValuePair.Create(name, ordinal)).ToFrozenDictionary(StringComparer.Ordinal);
        if (_ordinals.Count != names.Length) throw new ArgumentException($"A column named twice in '{list}'.", nameof(list));
    }

    /// <summary>The column's position in the list; a name not in it is a programming error and throws.</summary>
    public int this[string name] =>
        _ordinals.TryGetValue(name, out var ordinal) ? ordinal : throw new ArgumentOutOfRangeException(nameof(name), name, "Not in this column list.");
}
