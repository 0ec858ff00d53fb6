using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siuss.Client.Cli;

/// <summary>A paying body's signing identity: its code and its certificate with the private key.</summary>
public sealed record Signer(string CodiceEnte, X509Certificate2 Certificate);

/// <summary>The options that name the signing identity (<c>--ente</c>, <c>--cert</c>/<c>--key</c> or <c>--pfx</c>), shared by the verbs that sign.</summary>
public sealed class SignerOptions
{
    private readonly Option<string?> _ente = new("--ente") { Description = "The body's code as registered (CodiceEnte), e.g. H501." };
    private readonly Option<FileInfo?> _cert = new("--cert") { Description = "Signing certificate, PEM. The key may be in the same file." };
    private readonly Option<FileInfo?> _key = new("--key") { Description = "Private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1; encrypted PKCS#8 needs --password-env)." };
    private readonly Option<FileInfo?> _pfx = new("--pfx") { Description = "Or: certificate and key in one PKCS#12 file (.pfx/.p12)." };
    private readonly Option<string?> _passwordEnv = new("--password-env") { Description = "Name of the environment variable that holds the PFX or key password." };

    /// <summary>Adds the options to a verb.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _ente, _cert, _key, _pfx, _passwordEnv })
            command.Options.Add(option);
    }

    /// <summary>True when the user gave any signing option (so the verb should sign).</summary>
    public bool AnyGiven(ParseResult parse) =>
        parse.GetResult(_ente) is not null || parse.GetResult(_cert) is not null || parse.GetResult(_key) is not null || parse.GetResult(_pfx) is not null;

    /// <summary>Loads the identity; a missing or unusable option or file is a <see cref="UsageException"/>.</summary>
    public Signer Load(ParseResult parse)
    {
        var ente = parse.GetValue(_ente)?.Trim();
        if (string.IsNullOrEmpty(ente))
            throw new UsageException("Give --ente, the body's code as registered (e.g. H501).");
        var cert = parse.GetValue(_cert);
        var pfx = parse.GetValue(_pfx);
        if ((cert is null) == (pfx is null))
            throw new UsageException("Give either --cert (with --key) or --pfx, the body's signing certificate and private key.");
        var password = Password(parse.GetValue(_passwordEnv));

        X509Certificate2 certificate;
        try
        {
            if (pfx is not null)
            {
                if (parse.GetValue(_key) is not null)
                    throw new UsageException("--key goes with --cert; a PFX already holds the key.");
                certificate = X509CertificateLoader.LoadPkcs12FromFile(Existing(pfx).FullName, password);
            }
            else
            {
                var certPath = Existing(cert!).FullName;
                var keyPath = parse.GetValue(_key) is { } key ? Existing(key).FullName : null;
                certificate = password is null
                    ? X509Certificate2.CreateFromPemFile(certPath, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(certPath, password, keyPath);
            }
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"Cannot load the signing certificate and key: {e.Message}");
        }
        if (!certificate.HasPrivateKey)
            throw new UsageException("The signing certificate has no private key.");

        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
            Console.Error.WriteLine($"warning: the signing certificate is valid only from {certificate.NotBefore:u} to {certificate.NotAfter:u}; the register will refuse it.");
        return new Signer(ente, certificate);
    }

    /// <summary>Returns the file if it exists; otherwise a usage error naming it.</summary>
    public static FileInfo Existing(FileInfo file) =>
        file.Exists ? file : throw new UsageException($"File '{file.FullName}' does not exist.");

    private static string? Password(string? variable)
    {
        if (string.IsNullOrWhiteSpace(variable)) return null;
        return Environment.GetEnvironmentVariable(variable)
            ?? throw new UsageException($"Environment variable '{variable}' (named by --password-env) is not set.");
    }
}
