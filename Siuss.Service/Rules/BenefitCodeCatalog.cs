using Dapper;
using Siuss.Service.Storage;

namespace Siuss.Service.Rules;

/// <summary>
/// The benefit-code table as data: seeded from the CSV shipped with the project into the database,
/// read back from the database (so an operator's change needs no release), cached for
/// <see cref="Options.SiussOptions.CodeTableRefresh"/>.
/// </summary>
public sealed class BenefitCodeCatalog(Database database, TimeProvider clock, TimeSpan? cacheFor = null)
{
    private readonly TimeSpan _cacheFor = cacheFor ?? TimeSpan.FromSeconds(30);

    /// <summary>Creates the catalog with the configured refresh interval.</summary>
    public BenefitCodeCatalog(Database database, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Options.SiussOptions> options)
        : this(database, clock, options.Value.CodeTableRefresh) { }
    private const string SelectCodes =
        "SELECT codice AS Codice, descrizione AS Descrizione, sezione AS Sezione, valido_dal AS ValidoDal, valido_al AS ValidoAl, " +
        "richiede_presa_carico AS RichiedePresaCarico, richiede_data_evento AS RichiedeDataEvento FROM codici_prestazione";
    private const string SelectCodeKeys = "SELECT codice FROM codici_prestazione";
    private const string UpdateCode =
        "UPDATE codici_prestazione SET descrizione = @Descrizione, sezione = @Sezione, valido_dal = @ValidoDal, valido_al = @ValidoAl, " +
        "richiede_presa_carico = @RichiedePresaCarico, richiede_data_evento = @RichiedeDataEvento WHERE codice = @Codice";
    private const string InsertCode =
        "INSERT INTO codici_prestazione (codice, descrizione, sezione, valido_dal, valido_al, richiede_presa_carico, richiede_data_evento) " +
        "VALUES (@Codice, @Descrizione, @Sezione, @ValidoDal, @ValidoAl, @RichiedePresaCarico, @RichiedeDataEvento)";
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(BenefitCodeTable Table, DateTimeOffset LoadedAt);

    /// <summary>The table as the database holds it now (at most 30 seconds old).</summary>
    public async Task<BenefitCodeTable> CurrentAsync(CancellationToken ct = default)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < _cacheFor) return snapshot.Table;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CodeRow>(SelectCodes);
        var table = new BenefitCodeTable(rows.Select(r => r.ToBenefitCode()));
        _snapshot = new Snapshot(table, clock.GetUtcNow());
        return table;
    }

    /// <summary>Forgets the cached table, so the next read sees the database.</summary>
    public void Invalidate() => _snapshot = null;

    /// <summary>
    /// Adds or replaces codes in one transaction (an operator's change, no release needed); returns
    /// how many were added and how many updated. Running servers see the change within 30 seconds.
    /// </summary>
    public async Task<(int Added, int Updated)> UpsertAsync(IEnumerable<BenefitCode> codes, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        int added = 0, updated = 0;
        foreach (var code in codes)
        {
            var row = CodeRow.From(code);
            if (await connection.ExecuteAsync(UpdateCode, row, transaction) == 1) updated++;
            else
            {
                await connection.ExecuteAsync(InsertCode, row, transaction);
                added++;
            }
        }
        await transaction.CommitAsync(ct);
        Invalidate();
        return (added, updated);
    }

    /// <summary>Inserts the seed codes the database does not have yet; existing rows are left as operators set them.</summary>
    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var existing = (await connection.QueryAsync<string>(SelectCodeKeys)).ToHashSet(StringComparer.Ordinal);
        var missing = BenefitCodeTable.Seed().Where(c => !existing.Contains(c.Codice)).ToList();
        if (missing.Count == 0) return 0;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(
            InsertCode,
            missing.Select(CodeRow.From), transaction);
        await transaction.CommitAsync(ct);
        Invalidate();
        return missing.Count;
    }

    private sealed class CodeRow
    {
        public string Codice { get; set; } = "";
        public string Descrizione { get; set; } = "";
        public string Sezione { get; set; } = "";
        // SQLite returns dates as text, SQL Server as DateTime.
        public object ValidoDal { get; set; } = "";
        public object? ValidoAl { get; set; }
        public bool RichiedePresaCarico { get; set; }
        public bool RichiedeDataEvento { get; set; }

        public static CodeRow From(BenefitCode c) => new()
        {
            Codice = c.Codice, Descrizione = c.Descrizione, Sezione = c.Sezione,
            ValidoDal = c.ValidoDal.ToString("yyyy-MM-dd"), ValidoAl = c.ValidoAl?.ToString("yyyy-MM-dd"),
            RichiedePresaCarico = c.RichiedePresaCarico, RichiedeDataEvento = c.RichiedeDataEvento,
        };

        public BenefitCode ToBenefitCode() => new()
        {
            Codice = Codice, Descrizione = Descrizione, Sezione = Sezione,
            ValidoDal = ToDate(ValidoDal),
            ValidoAl = ValidoAl is null or DBNull ? null : ToDate(ValidoAl),
            RichiedePresaCarico = RichiedePresaCarico, RichiedeDataEvento = RichiedeDataEvento,
        };

        private static DateOnly ToDate(object value) => value is DateTime d
            ? DateOnly.FromDateTime(d)
            : DateOnly.ParseExact(((string)value)[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }
}
