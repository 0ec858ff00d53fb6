using System.Data.Common;
using System.Globalization;
using Dapper;
using Siuss.Contracts.Reconciliation;

namespace Siuss.Service.Storage;

/// <summary>
/// Gives records stored before content digests existed (or written by a tool that did not compute one) their
/// digest, rebuilt from the stored columns. Run after every migration; finds nothing to do once done.
/// </summary>
public sealed class RecordDigestBackfill(Database database)
{
    /// <summary>Rows updated per transaction.</summary>
    public const int BatchSize = 1000;

    private const string Columns =
        "id, codice_fiscale, codice_prestazione, protocollo_domanda, data_riferimento, denominazione_prestazione, presenza_prova_mezzi, " +
        "carattere_prestazione, numero_protocollo_dsu, anno_protocollo_dsu, data_dsu, data_evento, data_inizio_prestazione, " +
        "data_fine_prestazione, data_erogazione_prestazione, importo_prestazione, periodo_erogazione, importo_mensile, " +
        "importo_quota_ente, importo_quota_utente, importo_quota_ssn, importo_quota_richiesta, importo_soglia_isee, " +
        "ore_servizio_mensile, presa_carico, area_utenza";

    private const string FromWithoutDigest = "FROM benefit_records WHERE content_digest IS NULL ORDER BY id";

    private const string SetDigest = "UPDATE benefit_records SET content_digest = @digest WHERE id = @id";

    internal static string SelectBatch(SqlDialect dialect) => SqlPaging.Top(dialect, Columns, FromWithoutDigest);

    /// <summary>Computes and stores every missing digest; returns how many rows were updated.</summary>
    public int Run()
    {
        int total = 0;
        using var connection = database.Dialect.CreateConnection(database.ConnectionString);
        connection.Open();
        while (true)
        {
            var batch = new List<(long Id, string Digest)>(BatchSize);
            using (var command = connection.CreateCommand())
            {
                command.CommandText = SelectBatch(database.Dialect);
                var take = command.CreateParameter();
                take.ParameterName = "@take";
                take.Value = BatchSize;
                command.Parameters.Add(take);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    batch.Add((reader.GetInt64(0), RecordDigest.Compute(Read(reader))));
            }
            if (batch.Count == 0) return total;
            using var transaction = connection.BeginTransaction();
            connection.Execute(SetDigest, batch.Select(b => new { digest = b.Digest, id = b.Id }), transaction);
            transaction.Commit();
            total += batch.Count;
        }
    }

    /// <summary>The content of the stored row the reader is on (columns in the order of the SELECT).</summary>
    internal static RecordContent Read(DbDataReader r) => new()
    {
        CodiceFiscale = r.GetString(1),
        CodicePrestazione = r.GetString(2),
        ProtocolloDomanda = r.GetString(3),
        DataRiferimento = Date(r.GetValue(4)) ?? default,
        DenominazionePrestazione = r.GetString(5),
        PresenzaProvaMezzi = r.GetString(6),
        CaratterePrestazione = Text(r.GetValue(7)),
        NumeroProtocolloDSU = Text(r.GetValue(8)),
        AnnoProtocolloDSU = Text(r.GetValue(9)),
        DataDSU = Date(r.GetValue(10)),
        DataEvento = Date(r.GetValue(11)),
        DataInizioPrestazione = Date(r.GetValue(12)),
        DataFinePrestazione = Date(r.GetValue(13)),
        DataErogazionePrestazione = Date(r.GetValue(14)),
        ImportoPrestazione = Amount(r.GetValue(15)),
        PeriodoErogazione = r.IsDBNull(16) ? null : Convert.ToInt32(r.GetValue(16), CultureInfo.InvariantCulture),
        ImportoMensile = Amount(r.GetValue(17)),
        ImportoQuotaEnte = Amount(r.GetValue(18)),
        ImportoQuotaUtente = Amount(r.GetValue(19)),
        ImportoQuotaSSN = Amount(r.GetValue(20)),
        ImportoQuotaRichiesta = Amount(r.GetValue(21)),
        ImportoSogliaISEE = Amount(r.GetValue(22)),
        OreServizioMensile = Amount(r.GetValue(23)),
        PresaCarico = r.GetString(24),
        AreaUtenza = Text(r.GetValue(25)),
    };

    private static string? Text(object value) => value is DBNull ? null : (string)value;

    // SQLite keeps dates as the ISO text written (yyyy-MM-dd); SQL Server returns DATE as DateTime.
    private static DateOnly? Date(object value) => value switch
    {
        DBNull => null,
        DateTime d => DateOnly.FromDateTime(d),
        string s => DateOnly.ParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unexpected stored date type {value.GetType().Name}."),
    };

    // SQLite keeps the invariant text Microsoft.Data.Sqlite wrote for the decimal (exact, any scale); SQL Server a DECIMAL.
    // RecordDigest drops trailing zeros, so "150.50", "150.5" and 150.50m all give the same line.
    private static decimal? Amount(object value) => value switch
    {
        DBNull => null,
        decimal d => d,
        string s => decimal.Parse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
        double d => (decimal)d,
        long l => l,
        _ => throw new InvalidOperationException($"Unexpected stored amount type {value.GetType().Name}."),
    };
}
