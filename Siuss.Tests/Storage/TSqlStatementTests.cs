using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Siuss.Service.Storage;

namespace Siuss.Tests.Storage;

/// <summary>Every T-SQL script and statement the project ships is parsed by the official SQL Server parser.</summary>
[TestFixture]
public sealed class TSqlStatementTests
{
    private static readonly string[] SqlVerbs = ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "MERGE "];

    /// <summary>The SQL Server migration scripts.</summary>
    public static IEnumerable<TestCaseData> Scripts() =>
        DatabaseMigrator.Scripts(SqlDialect.SqlServer).Select(s => new TestCaseData(s.Sql).SetName("Parses script " + s.Name));

    /// <summary>Every SQL constant in the service assembly, plus the statements built per dialect.</summary>
    public static IEnumerable<string> AllStatements()
    {
        var constants = typeof(DatabaseMigrator).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(s => SqlVerbs.Any(v => s.TrimStart().StartsWith(v, StringComparison.OrdinalIgnoreCase)));
        return constants
            .Concat(FlowWriter.DialectStatements(SqlDialect.SqlServer))
            .Concat(ReceiptListRepository.DialectStatements(SqlDialect.SqlServer))
            .Concat(ReconciliationRepository.DialectStatements(SqlDialect.SqlServer))
            .Concat(PortalReceiptRepository.DialectStatements(SqlDialect.SqlServer))
            .Append(RecordDigestBackfill.SelectBatch(SqlDialect.SqlServer))
            .Append(SubmissionRepository.InsertReturningId(SqlDialect.SqlServer))
            .Append(SubmissionRepository.InsertRawFlow(SqlDialect.SqlServer))
            .Distinct();
    }

    public static IEnumerable<TestCaseData> Statements() =>
        AllStatements().Select(s => new TestCaseData(s).SetName("Parses: " + (s.Length > 70 ? s[..70] + "..." : s)));

    [TestCaseSource(nameof(Scripts))]
    public void Migration_script_is_valid_TSql(string sql) => AssertParses(sql);

    [TestCaseSource(nameof(Statements))]
    public void Statement_is_valid_TSql(string sql) => AssertParses(sql);

    [Test]
    public void The_statement_inventory_finds_the_statements_of_every_repository()
    {
        var all = AllStatements().ToList();
        Assert.That(all, Has.Some.Contains("INSERT INTO benefit_records"));
        Assert.That(all, Has.Some.Contains("UPDATE agency_certificates"));
        Assert.That(all, Has.Some.Contains("INSERT INTO query_messages"));
        Assert.That(all, Has.Some.Contains("FROM codici_prestazione"));
        Assert.That(all, Has.Some.Contains("INSERT INTO consultation_audit"));
        Assert.That(all, Has.Some.Contains("FROM consultation_audit"));
        Assert.That(all, Has.Some.Contains("WHERE r.codice_fiscale = @codiceFiscale"));
        Assert.That(all, Has.Some.Contains("OUTPUT INSERTED.id"));
        Assert.That(all, Has.Some.Contains("UPDATE receipt_sequence"));
        Assert.That(all, Has.Some.Contains("INSERT INTO submission_flows"));
        Assert.That(all, Has.Some.Contains("TOP (@take)").And.Contains("receipt_cursor"));
        Assert.That(all, Has.Some.Contains("TOP (@take)").And.Contains("content_digest"));
        Assert.That(all.Count, Is.GreaterThanOrEqualTo(20));
    }

    private static void AssertParses(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        Assert.That(errors, Is.Empty, string.Join("\n", errors.Select(e => $"line {e.Line}: {e.Message}")));
    }
}
