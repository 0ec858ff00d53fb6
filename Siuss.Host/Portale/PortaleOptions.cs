using System.ComponentModel.DataAnnotations;

namespace Siuss.Host.Portale;

/// <summary>The web channel's settings (<c>Siuss:Portale</c>), validated at start.</summary>
public sealed class PortaleOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Siuss:Portale";

    /// <summary>The register's address as operators' browsers reach it; the activation links printed by <c>user add</c> start with it.</summary>
    [Required, Url] public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>A session unused this long ends; the operator logs in again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "08:00:00")] public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong logins in a row (any wrong factor) that lock the account.</summary>
    [Range(2, 20)] public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")] public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an activation link works.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")] public TimeSpan ActivationValidity { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Files one upload may carry.</summary>
    [Range(1, 100)] public int MaxFilesPerUpload { get; set; } = 20;
}
