using System.Data.Common;

namespace Siuss.Service.Storage;

/// <summary>A lookup run through <see cref="PreparedReads"/>: its SQL and its parameters' names, in the order values are given.</summary>
public sealed record ReadStatement(string Sql, params string[] ParameterNames);

/// <summary>
/// Runs the lookups every submission makes (its body and certificate, an earlier use of its message id, its flow
/// name) on a few SQLite connections kept open, each with those lookups compiled once. A new command on a connection
/// from the pool compiled its SELECT again on every use (Microsoft.Data.Sqlite keeps no statement cache) and set the
/// connection up again: most of what such a lookup cost. SQL Server keeps its plans itself: there a lookup opens a
/// pooled connection as every other read does.
/// </summary>
public sealed class PreparedReads : IDisposable
{
    // Enough for the threads that run lookups at once on this kind of machine; past it a connection is opened for the
    // lookup and closed after it (the pool of Microsoft.Data.Sqlite still spares the file open).
    internal const int MaxKeptConnections = 8;

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly bool _keep;
    // Guarded by itself: the limit and disposal must see every push (an uncontended lock, once per lookup).
    private readonly Stack<KeptConnection> _idle = new();
    private bool _disposed;

    /// <summary>Creates the runner; <paramref name="keepConnections"/> keeps connections and their compiled lookups between uses.</summary>
    public PreparedReads(Func<CancellationToken, Task<DbConnection>> open, bool keepConnections)
    {
        _open = open;
        _keep = keepConnections;
    }

    /// <summary>Connections kept open now, waiting for the next lookup.</summary>
    public int IdleConnections
    {
        get { lock (_idle) return _idle.Count; }
    }

    /// <summary>
    /// Runs <paramref name="statement"/> with <paramref name="values"/> (null for NULL) and hands its rows to
    /// <paramref name="read"/>, which must not keep the reader.
    /// </summary>
    public async Task<T> RunAsync<T>(ReadStatement statement, object?[] values, Func<DbDataReader, T> read, CancellationToken ct = default)
    {
        if (values.Length != statement.ParameterNames.Length)
            throw new ArgumentException($"The statement takes {statement.ParameterNames.Length} values, not {values.Length}.", nameof(values));
        KeptConnection? idle;
        lock (_idle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _idle.TryPop(out idle);
        }
        var kept = idle ?? new KeptConnection(await _open(ct), prepare: _keep);
        bool reusable = false;
        try
        {
            var command = kept.CommandFor(statement);
            RowStatement.Bind(command, values);
            T result;
            await using (var rows = await command.ExecuteReaderAsync(ct)) result = read(rows);
            reusable = true;
            return result;
        }
        finally
        {
            // A connection whose lookup failed is in a state not worth finding out: it goes, and its statements with it.
            if (!(reusable && _keep && TryKeep(kept))) kept.Dispose();
        }
    }

    /// <summary>Closes the kept connections; lookups still running close theirs when they end.</summary>
    public void Dispose()
    {
        KeptConnection[] closing;
        lock (_idle)
        {
            _disposed = true;
            closing = _idle.ToArray();
            _idle.Clear();
        }
        foreach (var kept in closing) kept.Dispose();
    }

    private bool TryKeep(KeptConnection kept)
    {
        lock (_idle)
        {
            if (_disposed || _idle.Count >= MaxKeptConnections) return false;
            _idle.Push(kept);
            return true;
        }
    }

    // One open connection and the commands compiled on it, by SQL text (compiled at once when the connection is kept).
    private sealed class KeptConnection(DbConnection connection, bool prepare) : IDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        public DbCommand CommandFor(ReadStatement statement)
        {
            if (_commands.TryGetValue(statement.Sql, out var command)) return command;
            command = RowStatement.CreateCommand(connection, statement.Sql, statement.ParameterNames);
            if (prepare) command.Prepare();
            _commands.Add(statement.Sql, command);
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values) command.Dispose();
            _commands.Clear();
            connection.Dispose();
        }
    }
}
