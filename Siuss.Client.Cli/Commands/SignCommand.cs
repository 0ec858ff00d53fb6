using System.CommandLine;
using System.Security.Cryptography;

namespace Siuss.Client.Cli.Commands;

/// <summary><c>sign</c>: writes the signed Trasmissione that names a flow file by digest and size.</summary>
public static class SignCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var flow = new Option<FileInfo>("--flow") { Description = "The flow file, exactly as exported (it is not changed).", Required = true };
        var tipo = CommonOptions.Tipo();
        var output = CommonOptions.Out("trasmissione.xml", "Where to write the signed Trasmissione.");
        var signer = new SignerOptions();
        var command = new Command("sign", "Sign a Trasmissione for a flow file: its name (from IdentificazioneFlusso/@Nome), SHA-256 digest and size.")
        {
            flow, tipo, output,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var flowFile = parse.GetRequiredValue(flow);
            var target = CommonOptions.OutTarget(parse, output);
            var trasmissione = Sign(flowFile, await File.ReadAllBytesAsync(SignerOptions.Existing(flowFile).FullName), signer.Load(parse), parse.GetValue(tipo));
            await File.WriteAllBytesAsync(target.FullName, trasmissione);
            Console.WriteLine($"Signed Trasmissione written to {target.FullName}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Signs the Trasmissione for a flow's bytes and prints what it binds; without <paramref name="tipo"/>, the file's first record gives the type.</summary>
    public static byte[] Sign(FileInfo flowFile, byte[] flowBytes, Signer signer, string? tipo)
    {
        var (nome, detected) = FlowFile.ReadIdentity(flowFile);
        tipo ??= detected ?? Siuss.Contracts.Documents.TipiFlusso.PsPsaSina;
        var idMessaggio = Guid.NewGuid();
        var trasmissione = SignedDocuments.SignTrasmissione(flowBytes, signer.CodiceEnte, nome, signer.Certificate, tipo, idMessaggio);
        Console.WriteLine($"Flow {nome} ({tipo}): {flowBytes.LongLength} bytes, SHA-256 {Convert.ToHexStringLower(SHA256.HashData(flowBytes))}");
        Console.WriteLine($"IdMessaggio: {idMessaggio}");
        Console.WriteLine($"Signed as {signer.CodiceEnte} with {signer.Certificate.Subject} (SHA-256 {RegisterCertificate.Thumbprint(signer.Certificate)})");
        return trasmissione;
    }
}
