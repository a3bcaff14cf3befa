namespace PastDueBot.Protocol.Storage;

/// <summary>The write condition of <see cref="IStorage"/>, in one place so every store decides alike.</summary>
public static class StorageConditions
{
    /// <summary>Whether a write carrying <paramref name="requested"/> may replace a document whose ETag is <paramref name="stored"/> (null: absent).</summary>
    public static bool Holds(string? requested, string? stored) => requested switch
    {
        null => stored is null,
        StoreItem.AnyETag => true,
        _ => stored is not null && string.Equals(requested, stored, StringComparison.Ordinal),
    };
}
