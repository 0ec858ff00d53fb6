namespace Siuss.Service.Storage;

/// <summary>The one paging form that differs between the dialects: SQLite's <c>LIMIT</c>, SQL Server's <c>TOP</c>.</summary>
public static class SqlPaging
{
    /// <summary><c>SELECT columns rest</c> returning at most <c>@take</c> rows (rest: FROM ... ORDER BY ...).</summary>
    public static string Top(SqlDialect dialect, string columns, string rest) => dialect == SqlDialect.SqlServer
        ? $"SELECT TOP (@take) {columns} {rest}"
        : $"SELECT {columns} {rest} LIMIT @take";
}
