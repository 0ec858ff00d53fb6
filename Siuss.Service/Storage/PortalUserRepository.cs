using Dapper;

namespace Siuss.Service.Storage;

/// <summary>An operator of a paying body in the web channel (<c>portal_users</c>).</summary>
public sealed class PortalUser
{
    public string Id { get; init; } = "";
    public string AgencyCode { get; init; } = "";
    public string Email { get; init; } = "";
    /// <summary>ASP.NET Core Identity's password hash; null until activation.</summary>
    public string? PasswordHash { get; init; }
    /// <summary>The TOTP secret as the host protected it; null until activation.</summary>
    public string? TotpSecret { get; init; }
    public DateTime? ActivationExpiresAt { get; init; }
    public int FailedAttempts { get; init; }
    public DateTime? LockedUntil { get; init; }
    /// <summary>The last TOTP time step accepted: a code is never accepted twice.</summary>
    public long? LastTotpStep { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ActivatedAt { get; init; }
    public DateTime? DisabledAt { get; init; }

    /// <summary>True once the user has set a password and enrolled a second factor.</summary>
    public bool IsActive => PasswordHash is not null && TotpSecret is not null;
}

/// <summary>One line of the web channel's audit: who did what, for which body, in which session and request.</summary>
public sealed class PortalAuditEntry
{
    public DateTime OccurredAt { get; init; }
    public string? UserId { get; init; }
    public string? AgencyCode { get; init; }
    public string? SessionId { get; init; }
    public string CorrelationId { get; init; } = "";
    /// <summary>login, login-refused, login-locked, activation, logout, upload, receipts, receipt, receipt-download.</summary>
    public string Action { get; init; } = "";
    /// <summary>What the action concerned (an IdMessaggio and outcome, a receipt id); never personal data.</summary>
    public string Detail { get; init; } = "";
}

/// <summary>
/// The web channel's accounts and their append-only audit. Activation tokens are stored as their SHA-256 only; a token
/// works once (activation clears it).
/// </summary>
public sealed class PortalUserRepository(Database database)
{
    private const string UserColumns =
        "id AS Id, agency_code AS AgencyCode, email AS Email, password_hash AS PasswordHash, totp_secret AS TotpSecret, " +
        "activation_expires_at AS ActivationExpiresAt, failed_attempts AS FailedAttempts, locked_until AS LockedUntil, " +
        "last_totp_step AS LastTotpStep, created_at AS CreatedAt, activated_at AS ActivatedAt, disabled_at AS DisabledAt";
    private const string InsertUser =
        "INSERT INTO portal_users (id, agency_code, email, activation_token_hash, activation_expires_at, failed_attempts, created_at) " +
        "VALUES (@Id, @AgencyCode, @Email, @TokenHash, @ExpiresAt, 0, @Now)";
    private const string ResetActivation =
        "UPDATE portal_users SET activation_token_hash = @TokenHash, activation_expires_at = @ExpiresAt, password_hash = NULL, " +
        "totp_secret = NULL, activated_at = NULL, failed_attempts = 0, locked_until = NULL, disabled_at = NULL WHERE email = @Email";
    private const string SelectByEmail = "SELECT " + UserColumns + " FROM portal_users WHERE email = @email";
    private const string SelectById = "SELECT " + UserColumns + " FROM portal_users WHERE id = @id";
    private const string SelectByToken = "SELECT " + UserColumns + " FROM portal_users WHERE activation_token_hash = @tokenHash";
    private const string SelectAll = "SELECT " + UserColumns + " FROM portal_users ORDER BY agency_code, email";
    private const string Activate =
        "UPDATE portal_users SET password_hash = @passwordHash, totp_secret = @totpSecret, activated_at = @now, " +
        "activation_token_hash = NULL, activation_expires_at = NULL WHERE id = @id AND activation_token_hash = @tokenHash";
    private const string Disable = "UPDATE portal_users SET disabled_at = @now, activation_token_hash = NULL WHERE email = @email AND disabled_at IS NULL";
    private const string RecordFailure =
        "UPDATE portal_users SET failed_attempts = failed_attempts + 1, " +
        "locked_until = CASE WHEN failed_attempts + 1 >= @maxAttempts THEN @lockUntil ELSE locked_until END WHERE id = @id";
    private const string RecordSuccess =
        "UPDATE portal_users SET failed_attempts = 0, locked_until = NULL, last_totp_step = @step " +
        "WHERE id = @id AND (last_totp_step IS NULL OR last_totp_step < @step)";
    private const string InsertAudit =
        "INSERT INTO portal_audit (occurred_at, user_id, agency_code, session_id, correlation_id, action, detail) " +
        "VALUES (@OccurredAt, @UserId, @AgencyCode, @SessionId, @CorrelationId, @Action, @Detail)";
    private const string SelectAudit =
        "SELECT occurred_at AS OccurredAt, user_id AS UserId, agency_code AS AgencyCode, session_id AS SessionId, " +
        "correlation_id AS CorrelationId, action AS Action, detail AS Detail FROM portal_audit ORDER BY id";

    /// <summary>
    /// Creates an account awaiting activation, or - for an address already known - starts its activation again
    /// (a new link; the old password and second factor no longer work). Returns false when the address belongs to another body.
    /// </summary>
    public async Task<bool> AddOrResetAsync(string agencyCode, string email, string tokenHash, DateTime expiresAt, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var existing = await connection.QuerySingleOrDefaultAsync<PortalUser>(SelectByEmail, new { email }, transaction);
        if (existing is not null && existing.AgencyCode != agencyCode) return false;
        var row = new { Id = Guid.NewGuid().ToString(), AgencyCode = agencyCode, Email = email, TokenHash = tokenHash, ExpiresAt = expiresAt, Now = now };
        await connection.ExecuteAsync(existing is null ? InsertUser : ResetActivation, row, transaction);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Every account, by body and address.</summary>
    public async Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PortalUser>(SelectAll)).AsList();
    }

    /// <summary>The account with this (normalised) address.</summary>
    public async Task<PortalUser?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PortalUser>(SelectByEmail, new { email });
    }

    /// <summary>The account with this id.</summary>
    public async Task<PortalUser?> FindByIdAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PortalUser>(SelectById, new { id });
    }

    /// <summary>The account awaiting activation with this token digest.</summary>
    public async Task<PortalUser?> FindByActivationAsync(string tokenHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PortalUser>(SelectByToken, new { tokenHash });
    }

    /// <summary>Sets the password and the second factor and spends the token; false when the token was spent meanwhile.</summary>
    public async Task<bool> ActivateAsync(string id, string tokenHash, string passwordHash, string totpSecret, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(Activate, new { id, tokenHash, passwordHash, totpSecret, now }) == 1;
    }

    /// <summary>Disables the account with this address; false when there is none or it was disabled already.</summary>
    public async Task<bool> DisableAsync(string email, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(Disable, new { email, now }) == 1;
    }

    /// <summary>Counts a failed login; the <paramref name="maxAttempts"/>-th in a row locks the account until <paramref name="lockUntil"/>.</summary>
    public async Task RecordFailureAsync(string id, int maxAttempts, DateTime lockUntil, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(RecordFailure, new { id, maxAttempts, lockUntil });
    }

    /// <summary>
    /// Records a successful login with the TOTP time step it used: false when that step (or a later one) was already
    /// used, so a code seen over a shoulder or replayed does not log in twice.
    /// </summary>
    public async Task<bool> RecordSuccessAsync(string id, long step, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(RecordSuccess, new { id, step }) == 1;
    }

    /// <summary>Appends a line to the web channel's audit.</summary>
    public async Task AuditAsync(PortalAuditEntry entry, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(InsertAudit, entry);
    }

    /// <summary>The whole audit, oldest first.</summary>
    public async Task<IReadOnlyList<PortalAuditEntry>> ReadAuditAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PortalAuditEntry>(SelectAudit)).AsList();
    }
}
