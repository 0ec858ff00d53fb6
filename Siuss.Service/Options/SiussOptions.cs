namespace Siuss.Service.Options;

/// <summary>The register's configuration, bound from the <c>Siuss</c> section (env: <c>Siuss__...</c>).</summary>
public sealed class SiussOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Siuss";

    /// <summary>Folder for the embedded database and the generated receipt key; relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Database settings.</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>The register's receipt-signing key.</summary>
    public ReceiptSigningOptions ReceiptSigning { get; set; } = new();

    /// <summary>Request limits.</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>How far <c>DataOra</c> may be from the register's clock.</summary>
    public FreshnessOptions Freshness { get; set; } = new();

    /// <summary>How long a register keeps the benefit-code table in memory before re-reading it (operators' changes apply within this time).</summary>
    public TimeSpan CodeTableRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The operator's severities of policy rules (<c>Siuss:Rules:Severity:CODE = refuse|warn|off</c>).</summary>
    public RuleOptions Rules { get; set; } = new();

    /// <summary>The data directory made absolute against the working directory.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

/// <summary>Which database the register uses.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default, embedded), or a server database several hosts share: <c>PostgreSql</c> or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Connection string; for SQLite, empty means <c>{DataDirectory}/siuss.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. <c>NORMAL</c> (default, with WAL): a committed flow survives a crash
    /// of the process; <c>FULL</c>: it also survives a power loss or OS crash, at one fsync per commit.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>
    /// SQLite: at most this many flows share one COMMIT when writers queue up (group commit; each flow is still stored
    /// whole or not at all, and answered only once its group has committed). 1 commits every flow on its own.
    /// </summary>
    public int GroupCommitMaxFlows { get; set; } = 16;
}

/// <summary>Where the receipt-signing certificate and key come from.</summary>
public sealed class ReceiptSigningOptions
{
    /// <summary>A PFX/PKCS#12 file, or a PEM certificate (with <see cref="KeyPath"/> or an embedded key). Empty: generate one in the data folder.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file, when the certificate is PEM and the key is separate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PFX or of an encrypted PEM key. Supply it through the environment, never the repo.</summary>
    public string? Password { get; set; }
}

/// <summary>Size limits on what the register accepts.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest HTTP request body, in bytes (default 96 MiB: a 64 MiB flow in base64 plus envelope).</summary>
    public long MaxRequestBytes { get; set; } = 96L * 1024 * 1024;

    /// <summary>Largest flow file, in bytes (default 64 MiB).</summary>
    public long MaxFlowBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest signed header or query document, in bytes (default 64 KiB).</summary>
    public int MaxSignedDocumentBytes { get; set; } = 64 * 1024;

    /// <summary>Most benefit records in one flow (default 200,000).</summary>
    public int MaxRecordsPerFlow { get; set; } = 200_000;

    /// <summary>Most flow-level schema errors listed in a receipt before the register stops reading.</summary>
    public int MaxSchemaErrors { get; set; } = 50;

    /// <summary>Most SOAP requests processed at once by one host (default 64; 0 = no cap).</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests that may wait for a slot when <see cref="MaxConcurrentRequests"/> are in progress (default 1024); more get the fault ServerBusy (HTTP 503).</summary>
    public int MaxQueuedRequests { get; set; } = 1024;

    /// <summary>How long a request waits for a slot before it gets ServerBusy (default 30 s).</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Submissions a second each paying body may make, per host; more get the fault RateLimited. Default 0 = off:
    /// size it to the deployment (e.g. 20 with a burst of 100); with N hosts the effective limit is N times it.
    /// </summary>
    public double SubmissionsPerSecondPerBody { get; set; }

    /// <summary>Submissions a body may make in one burst before <see cref="SubmissionsPerSecondPerBody"/> applies (default 100).</summary>
    public double SubmissionBurstPerBody { get; set; } = 100;

    /// <summary>
    /// Longest time a request body may take to arrive whole (default 10 min: 96 MiB at 160 KB/s). The body is received
    /// before the request takes a processing slot; past this the request gets the fault RequestTimeout (HTTP 408).
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest time the request line and headers may take to arrive (default 10 s); past it Kestrel closes the connection.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most SOAP requests one client address may have in progress, receiving their body included (default 256; 0 = no
    /// bound); more get the fault ClientBusy (HTTP 429). Behind a reverse proxy every client shares its address: size it
    /// for the proxy, or leave the bound to the proxy.
    /// </summary>
    public int MaxRequestsPerClient { get; set; } = 256;

    /// <summary>Most open connections (default 4096): with each request's body in memory only up to 64 KiB, this bounds the memory slow clients can hold.</summary>
    public long MaxConnections { get; set; } = 4096;

    /// <summary>Most bytes of receipts in one ListReceipts page (a batch receipt can be 13 MB); a page always holds at least one.</summary>
    public long MaxReceiptPageBytes { get; set; } = 16L * 1024 * 1024;
}

/// <summary>The accepted window around the register's clock for a new message's <c>DataOra</c>.</summary>
public sealed class FreshnessOptions
{
    /// <summary>How far in the future <c>DataOra</c> may be (clock skew).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How old a new submission's <c>DataOra</c> may be (a queued batch may wait).</summary>
    public TimeSpan MaxSubmissionAge { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Severities of policy rules set by configuration; <c>rules set</c> (stored in the database) takes precedence.</summary>
public sealed class RuleOptions
{
    /// <summary>Rule code to <c>refuse</c>, <c>warn</c> or <c>off</c>; only policy rules may be listed (checked at start).</summary>
    public Dictionary<string, string> Severity { get; set; } = new(StringComparer.Ordinal);
}
