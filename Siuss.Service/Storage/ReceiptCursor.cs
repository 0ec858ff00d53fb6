using System.Data.Common;
using Dapper;

namespace Siuss.Service.Storage;

/// <summary>
/// Gives a submission whose receipt is being stored its place in the body's receipt list (ListReceipts).
/// Must be the last statement of the storing transaction before COMMIT: bumping the one-row
/// <c>receipt_sequence</c> takes its write lock until commit, so no other transaction can take a
/// larger cursor and commit before this one. Cursor order is therefore commit order on SQLite, SQL Server and
/// PostgreSQL alike, which an IDENTITY or AUTOINCREMENT id is not on a server database. On PostgreSQL (READ COMMITTED)
/// a second writer's UPDATE waits for the first writer's transaction to end, then re-reads the row it committed and
/// bumps that value; PostgreSQL marks a transaction visible before releasing its locks, so a reader that sees cursor
/// n+1 committed already sees n. This is settled by the database across every register host, not by a lock in the
/// process. Its cost: flows take the row one after another for the time of their COMMIT (one WAL flush each), which
/// bounds a server database at one commit per flush; everything before the last statement runs in parallel. With SQLite's group commit
/// (<see cref="WriterConnection"/>) it is the last statement of the flow's savepoint: the flows of a group take
/// their cursors in the order they were written and become visible together, with one COMMIT.
/// </summary>
public static class ReceiptCursor
{
    // Plain SQL every dialect runs: the second statement reads the value the first one wrote in this transaction.
    internal const string Statement =
        "UPDATE receipt_sequence SET value = value + 1 WHERE id = 1; " +
        "UPDATE submissions SET receipt_cursor = (SELECT value FROM receipt_sequence WHERE id = 1) WHERE id = @submissionId;";

    /// <summary>Assigns the next cursor to the submission, inside <paramref name="transaction"/>.</summary>
    public static Task AssignAsync(DbConnection connection, DbTransaction transaction, long submissionId, CancellationToken ct = default) =>
        connection.ExecuteAsync(new CommandDefinition(Statement, new { submissionId }, transaction, cancellationToken: ct));
}
