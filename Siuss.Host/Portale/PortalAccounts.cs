using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OtpNet;
using Siuss.Service.Storage;

namespace Siuss.Host.Portale;

/// <summary>What a login attempt came to.</summary>
internal enum LoginOutcome { Success, Refused, Locked }

/// <summary>An operator's enrolment in progress: the TOTP secret shown to them, and the same secret protected for the form.</summary>
internal sealed record Enrolment(string SecretBase32, string OtpAuthUri, string ProtectedSecret);

/// <summary>
/// The web channel's accounts: activation links, password (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>),
/// TOTP second factor (Otp.NET, RFC 6238, 30-second steps, one step of drift either way, a code never accepted twice),
/// lockout after wrong attempts. The TOTP secret is stored encrypted with the host's data-protection keys.
/// </summary>
internal sealed class PortalAccounts(
    PortalUserRepository users,
    IDataProtectionProvider protection,
    RandomNumberGenerator random,
    TimeProvider clock,
    IOptions<PortaleOptions> options)
{
    private const string Issuer = "SIUSS";
    private readonly PasswordHasher<PortalUser> _hasher = new();
    private readonly IDataProtector _secrets = protection.CreateProtector("Siuss.Portale.TotpSecret.v1");
    private readonly PortaleOptions _options = options.Value;

    /// <summary>Shortest password accepted (AgID/NIST guidance favours length over composition rules).</summary>
    public const int MinPasswordLength = 12;

    /// <summary>Addresses are compared as the operator typed them, ignoring case and surrounding blanks.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Creates (or restarts) the account and returns its one-time activation URL; null when the address belongs to another body.</summary>
    public async Task<string?> InviteAsync(string agencyCode, string email, CancellationToken ct)
    {
        var token = NewToken();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await users.AddOrResetAsync(agencyCode, NormalizeEmail(email), Digest(token), now + _options.ActivationValidity, now, ct))
            return null;
        return $"{_options.PublicUrl.TrimEnd('/')}/portale/attivazione/{token}";
    }

    /// <summary>The account a still-valid activation token belongs to.</summary>
    public async Task<PortalUser?> FindInvitationAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        var user = await users.FindByActivationAsync(Digest(token), ct);
        if (user is null || user.DisabledAt is not null) return null;
        return user.ActivationExpiresAt is { } expires && AsUtc(expires) > clock.GetUtcNow().UtcDateTime ? user : null;
    }

    /// <summary>A fresh TOTP secret for <paramref name="user"/>, to show and to carry (protected) in the activation form.</summary>
    public Enrolment Enrol(PortalUser user)
    {
        var secret = new byte[20];
        random.GetBytes(secret);
        var base32 = Base32Encoding.ToString(secret);
        return For(user, base32, _secrets.ToTimeLimitedDataProtector().Protect(base32, _options.ActivationValidity));
    }

    /// <summary>The enrolment shown earlier, back from the form; null when the form was tampered with or is stale.</summary>
    public Enrolment? Resume(PortalUser user, string? protectedSecret)
    {
        if (protectedSecret is null) return null;
        try { return For(user, _secrets.ToTimeLimitedDataProtector().Unprotect(protectedSecret), protectedSecret); }
        catch (CryptographicException) { return null; }
    }

    private static Enrolment For(PortalUser user, string base32, string protectedSecret) =>
        new(base32, new OtpUri(OtpType.Totp, base32, user.Email, Issuer).ToString(), protectedSecret);

    /// <summary>Sets the password and the second factor once the operator proved they hold it; false when the code is wrong or the link was spent.</summary>
    public async Task<bool> ActivateAsync(PortalUser user, string token, string password, string secretBase32, string code, CancellationToken ct)
    {
        if (MatchStep(secretBase32, code) is null) return false;
        var hash = _hasher.HashPassword(user, password);
        return await users.ActivateAsync(user.Id, Digest(token), hash, _secrets.Protect(secretBase32), clock.GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>Both factors, every time. Any wrong factor counts toward the lockout; a locked account refuses even right ones.</summary>
    public async Task<(LoginOutcome Outcome, PortalUser? User)> LoginAsync(string email, string password, string code, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(NormalizeEmail(email), ct);
        if (user is null || !user.IsActive || user.DisabledAt is not null)
        {
            // The same work as for a real account, so the answer's timing does not tell which addresses exist.
            _hasher.VerifyHashedPassword(Dummy, DummyHash, password);
            return (LoginOutcome.Refused, user);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (user.LockedUntil is { } lockedUntil && AsUtc(lockedUntil) > now) return (LoginOutcome.Locked, user);

        bool passwordOk = _hasher.VerifyHashedPassword(user, user.PasswordHash!, password) != PasswordVerificationResult.Failed;
        long? step = passwordOk ? MatchStep(_secrets.Unprotect(user.TotpSecret!), code) : null;
        if (step is { } matched && await users.RecordSuccessAsync(user.Id, matched, ct))
            return (LoginOutcome.Success, user);

        await users.RecordFailureAsync(user.Id, _options.MaxFailedAttempts, now + _options.LockoutDuration, ct);
        var after = await users.FindByIdAsync(user.Id, ct);
        return (after?.LockedUntil is { } locked && AsUtc(locked) > now ? LoginOutcome.Locked : LoginOutcome.Refused, user);
    }

    // The matched time step, or null. One step of drift either way (RFC 6238 section 5.2's recommendation).
    private long? MatchStep(string secretBase32, string code)
    {
        code = (code ?? "").Trim();
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return null;
        var totp = new Totp(Base32Encoding.ToBytes(secretBase32));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out long step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    private string NewToken()
    {
        var bytes = new byte[32];
        random.GetBytes(bytes);
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(bytes);
    }

    private static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static DateTime AsUtc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static readonly PortalUser Dummy = new();
    private static readonly string DummyHash = new PasswordHasher<PortalUser>().HashPassword(Dummy, "not-a-password-of-anyone");
}
