using System.Data.Common;
using System.Globalization;

namespace Siuss.Service.Storage;

/// <summary>
/// One of a flow writer's per-row statements (beneficiary, address, record, cancellation), prepared once and run with
/// its values in parameter order: through ADO.NET for SQL Server, through <see cref="SqliteRowStatement"/> for SQLite.
/// Its two helpers serve every command the register compiles once: creating it with named parameters, binding values in order.
/// </summary>
internal abstract class RowStatement : IAsyncDisposable
{
    /// <summary>Binds <paramref name="values"/> in parameter order and runs the statement; returns the rows it changed.</summary>
    public abstract ValueTask<int> ExecuteAsync(ReadOnlySpan<object?> values, CancellationToken ct);

    /// <summary>Runs an INSERT that returns its new id (<see cref="SqlDialect.InsertReturningId"/>) and returns that id.</summary>
    public abstract ValueTask<long> InsertAsync(ReadOnlySpan<object?> values, CancellationToken ct);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>A statement over an ADO.NET command; <paramref name="owned"/> says whether disposing it disposes the command.</summary>
    public static RowStatement Of(DbCommand command, bool owned) => new CommandRowStatement(command, owned);

    /// <summary>A command for <paramref name="sql"/> with one parameter per name (<c>@name</c>), in order, for <see cref="Bind"/> to set.</summary>
    internal static DbCommand CreateCommand(DbConnection connection, string sql, IEnumerable<string> parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Sets a command's parameters, in order, to <paramref name="values"/> (null as DBNull).</summary>
    internal static void Bind(DbCommand command, ReadOnlySpan<object?> values)
    {
        for (int i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private sealed class CommandRowStatement(DbCommand command, bool owned) : RowStatement
    {
        public override ValueTask<int> ExecuteAsync(ReadOnlySpan<object?> values, CancellationToken ct)
        {
            Bind(command, values);
            return new(command.ExecuteNonQueryAsync(ct));
        }

        public override ValueTask<long> InsertAsync(ReadOnlySpan<object?> values, CancellationToken ct)
        {
            Bind(command, values);
            return ToIdAsync(command.ExecuteScalarAsync(ct));
        }

        private static async ValueTask<long> ToIdAsync(Task<object?> scalar) => Convert.ToInt64(await scalar, CultureInfo.InvariantCulture);

        public override ValueTask DisposeAsync() => owned ? command.DisposeAsync() : ValueTask.CompletedTask;
    }
}
