using System.CommandLine;
using Siuss.Contracts.Documents;

namespace Siuss.Client.Cli;

/// <summary>Options several verbs share, built fresh for each verb (an option belongs to one command).</summary>
public static class CommonOptions
{
    /// <summary><c>--url</c>: the register's SOAP endpoint.</summary>
    public static Option<string> Url() => new("--url")
    {
        Description = "The register's SOAP endpoint, e.g. http://127.0.0.1:5080/AssistanceRecord.svc.",
        Required = true,
    };

    /// <summary><c>--register-cert</c>: the register's receipt certificate, pinned.</summary>
    public static Option<FileInfo?> RegisterCert() => new("--register-cert")
    {
        Description = "The register's receipt certificate (PEM or DER). Without it, it is downloaded from the register (trust on first use).",
    };

    /// <summary><c>--tipo</c>: the flow type named in the Trasmissione.</summary>
    public static Option<string> Tipo()
    {
        var option = new Option<string>("--tipo")
        {
            Description = "The flow type.",
            DefaultValueFactory = _ => TipiFlusso.PsPsaSina,
        };
        option.AcceptOnlyFromAmong(TipiFlusso.PsPsaSina, TipiFlusso.Sinba);
        return option;
    }

    /// <summary><c>--out</c> with a default file name in the current directory.</summary>
    public static Option<FileInfo> Out(string defaultName, string description) => new("--out")
    {
        Description = description,
        DefaultValueFactory = _ => new FileInfo(defaultName),
    };

    /// <summary>Parses <c>--url</c> as an absolute http(s) address; a usage error otherwise.</summary>
    public static Uri Endpoint(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--url must be an absolute http(s) address, e.g. http://127.0.0.1:5080/AssistanceRecord.svc (got '{url}').");
}
