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

    /// <summary><c>--tipo</c>: the flow type named in the Trasmissione; without it, each flow file's first record says.</summary>
    public static Option<string?> Tipo()
    {
        var option = new Option<string?>("--tipo")
        {
            Description = "The flow type; by default read from the flow file's first record (SINBA, or Beneficiario for PS_PSA_SINA).",
        };
        option.AcceptOnlyFromAmong(TipiFlusso.PsPsaSina, TipiFlusso.Sinba);
        return option;
    }

    /// <summary><c>--out</c> with a default file name in the current directory; read it with <see cref="OutTarget"/>.</summary>
    public static Option<FileInfo> Out(string defaultName, string description) => new("--out")
    {
        Description = description + $" Default: {defaultName}, never replaced; a file named by --out is.",
        DefaultValueFactory = _ => new FileInfo(defaultName),
    };

    /// <summary>
    /// The file to write: the one <c>--out</c> names (replaced if it exists: the user asked), or the default name when it
    /// does not exist yet - an earlier receipt under the default name is never overwritten silently. Checked before
    /// anything is sent.
    /// </summary>
    public static FileInfo OutTarget(ParseResult parse, Option<FileInfo> option)
    {
        var target = parse.GetRequiredValue(option);
        if (parse.GetResult(option) is null or { Implicit: true } && target.Exists)
            throw new UsageException($"{target.Name} already exists and is not replaced unless named: give --out with a new file name (or with {target.Name} to replace it).");
        return target;
    }

    /// <summary>Parses <c>--url</c> as an absolute http(s) address; a usage error otherwise.</summary>
    public static Uri Endpoint(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--url must be an absolute http(s) address, e.g. http://127.0.0.1:5080/AssistanceRecord.svc (got '{url}').");
}
