namespace Siuss.Service.Submission;

/// <summary>
/// The one form of an <c>IdMessaggio</c> the register compares and stores. It is a UUID, and UUIDs are
/// case-insensitive (RFC 9562): <c>5B0E...</c> and <c>5b0e...</c> name the same message, so both become the lower-case
/// form before any lookup or insert, and a re-sent message in other case is a repeat, not a new one.
/// </summary>
public static class MessageId
{
    /// <summary>The lower-case form of <paramref name="id"/> (the schema has already checked it is a UUID).</summary>
    public static string Canonical(string id) => id.ToLowerInvariant();
}
