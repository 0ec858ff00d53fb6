using System.Security.Cryptography.X509Certificates;
using Dapper;

namespace Siuss.Service.Storage;

/// <summary>A registered paying body.</summary>
public sealed record Agency
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    /// <summary>The cadastral (Belfiore) code of the body's seat.</summary>
    public required string Belfiore { get; init; }
    /// <summary>True for consulting bodies, which may look up one person's benefits across bodies.</summary>
    public bool CanConsult { get; init; }
    public DateTime RegisteredAt { get; init; }
}

/// <summary>A certificate pinned for a paying body.</summary>
public sealed record AgencyCertificate
{
    public long Id { get; init; }
    public string AgencyCode { get; init; } = "";
    public string ThumbprintSha256 { get; init; } = "";
    public string Subject { get; init; } = "";
    public DateTime NotBefore { get; init; }
    public DateTime NotAfter { get; init; }
    public byte[] Certificate { get; init; } = [];
    public DateTime RegisteredAt { get; init; }
    public DateTime? RevokedAt { get; init; }

    /// <summary>True when an operator revoked the certificate.</summary>
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>Paying bodies and their pinned signing certificates.</summary>
public sealed class AgencyRepository(Database database)
{
    private const string AgencyColumns =
        "code AS Code, name AS Name, belfiore AS Belfiore, can_consult AS CanConsult, registered_at AS RegisteredAt";
    private const string UpdateAgency =
        "UPDATE agencies SET name = @Name, belfiore = @Belfiore, can_consult = @CanConsult WHERE code = @Code";
    private const string InsertAgency =
        "INSERT INTO agencies (code, name, belfiore, can_consult, registered_at) VALUES (@Code, @Name, @Belfiore, @CanConsult, @RegisteredAt)";
    private const string InsertCertificate =
        "INSERT INTO agency_certificates (agency_code, thumbprint_sha256, subject, not_before, not_after, certificate, registered_at) " +
        "VALUES (@AgencyCode, @Thumbprint, @Subject, @NotBefore, @NotAfter, @Der, @Now)";
    private const string SelectAgencies = "SELECT " + AgencyColumns + " FROM agencies ORDER BY code";
    private const string SelectAgency = "SELECT " + AgencyColumns + " FROM agencies WHERE code = @code";
    private const string SelectCertificates = "SELECT " + CertificateColumns + " FROM agency_certificates WHERE agency_code = @agencyCode ORDER BY id";
    private const string SelectCertificate = "SELECT " + CertificateColumns + " FROM agency_certificates WHERE thumbprint_sha256 = @thumbprintSha256";
    private const string SetConsult = "UPDATE agencies SET can_consult = @canConsult WHERE code = @code";

    // The body's five columns, then its certificate's eight (all NULL when it pinned none of this thumbprint).
    private static readonly ReadStatement SelectAgencyWithCertificate = new(
        "SELECT a.code AS Code, a.name AS Name, a.belfiore AS Belfiore, a.can_consult AS CanConsult, a.registered_at AS RegisteredAt, " +
        "c.id AS Id, c.agency_code AS AgencyCode, c.thumbprint_sha256 AS ThumbprintSha256, c.subject AS Subject, c.not_before AS NotBefore, " +
        "c.not_after AS NotAfter, c.registered_at AS RegisteredAt, c.revoked_at AS RevokedAt " +
        "FROM agencies a LEFT JOIN agency_certificates c ON c.agency_code = a.code AND c.thumbprint_sha256 = @thumbprintSha256 WHERE a.code = @code",
        "code", "thumbprintSha256");
    private const int AgencyColumnCount = 5, CertificateColumnCount = 8;
    private const string RevokeCertificate =
        "UPDATE agency_certificates SET revoked_at = @now WHERE agency_code = @agencyCode AND thumbprint_sha256 = @thumbprintSha256 AND revoked_at IS NULL";

    private const string CertificateColumns =
        "id AS Id, agency_code AS AgencyCode, thumbprint_sha256 AS ThumbprintSha256, subject AS Subject, " +
        "not_before AS NotBefore, not_after AS NotAfter, certificate AS Certificate, registered_at AS RegisteredAt, revoked_at AS RevokedAt";

    /// <summary>Registers a body (or updates its name and seat) and pins a certificate for it, in one transaction.</summary>
    public async Task AddAsync(Agency agency, X509Certificate2? certificate, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var updated = await connection.ExecuteAsync(
            UpdateAgency, agency, transaction);
        if (updated == 0)
        {
            await connection.ExecuteAsync(
                InsertAgency, agency, transaction);
        }
        if (certificate is not null)
        {
            await connection.ExecuteAsync(
                InsertCertificate,
                new
                {
                    AgencyCode = agency.Code,
                    Thumbprint = Thumbprint(certificate),
                    Subject = certificate.Subject,
                    NotBefore = certificate.NotBefore.ToUniversalTime(),
                    NotAfter = certificate.NotAfter.ToUniversalTime(),
                    Der = certificate.RawData,
                    Now = now,
                }, transaction);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>Every registered body, by code.</summary>
    public async Task<IReadOnlyList<Agency>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Agency>(SelectAgencies);
        return rows.AsList();
    }

    /// <summary>One body by code, or null.</summary>
    public async Task<Agency?> FindAsync(string code, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Agency>(SelectAgency, new { code });
    }

    /// <summary>Every certificate ever pinned for a body, revoked ones included.</summary>
    public async Task<IReadOnlyList<AgencyCertificate>> CertificatesAsync(string agencyCode, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AgencyCertificate>(SelectCertificates, new { agencyCode });
        return rows.AsList();
    }

    /// <summary>The pinned certificate with this SHA-256 thumbprint, or null.</summary>
    public async Task<AgencyCertificate?> FindCertificateAsync(string thumbprintSha256, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AgencyCertificate>(SelectCertificate, new { thumbprintSha256 });
    }

    /// <summary>
    /// One body by code with its certificate of this thumbprint if it pinned one (revoked or not), in one
    /// query: what authenticating every request needs. The certificate's DER bytes are not read.
    /// </summary>
    public Task<(Agency Agency, AgencyCertificate? Certificate)?> FindWithCertificateAsync(string code, string thumbprintSha256, CancellationToken ct = default) =>
        database.Reads.RunAsync(SelectAgencyWithCertificate, [code, thumbprintSha256], ReadAgencyWithCertificate, ct);

    private static (Agency, AgencyCertificate?)? ReadAgencyWithCertificate(System.Data.Common.DbDataReader rows)
    {
        if (!rows.Read()) return null;
        var agency = rows.GetRowParser<Agency>(typeof(Agency), 0, AgencyColumnCount)(rows);
        var certificate = rows.GetRowParser<AgencyCertificate?>(typeof(AgencyCertificate), AgencyColumnCount, CertificateColumnCount, returnNullIfFirstMissing: true)(rows);
        // agencies.code is the key: a second row would be a broken schema, as SingleOrDefault said before.
        if (rows.Read()) throw new InvalidOperationException("More than one body has the same code.");
        return (agency, certificate is { Id: > 0 } ? certificate : null);
    }

    /// <summary>Revokes a body's certificate by thumbprint; false when no such active certificate exists.</summary>
    public async Task<bool> RevokeCertificateAsync(string agencyCode, string thumbprintSha256, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(
            RevokeCertificate,
            new { agencyCode, thumbprintSha256 = thumbprintSha256.ToLowerInvariant(), now });
        return changed == 1;
    }

    /// <summary>Grants or withdraws a body's consulting role; false when no such body exists.</summary>
    public async Task<bool> SetCanConsultAsync(string code, bool canConsult, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(SetConsult, new { code, canConsult }) == 1;
    }

    /// <summary>The SHA-256 thumbprint the register pins certificates by (lowercase hex).</summary>
    public static string Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
}
