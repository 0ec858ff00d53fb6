using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Interop;

/// <summary>
/// A non-.NET SOAP stack, node-soap, builds its client from the WSDL the register serves and calls
/// SubmitFlow: the contract on the wire is usable as published, faults included.
/// </summary>
[TestFixture]
public sealed class NodeSoapInteropTests
{
    private RunningRegister _register = null!;
    private X509Certificate2 _roma = null!;
    private X509Certificate2 _registerCertificate = null!;
    private string _work = null!;
    private string _node = null!;
    private string _nodeModules = null!;

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync();
        _roma = TestCertificates.Rsa();
        await _register.RegisterAgencyAsync("H501", _roma);
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
        _work = Directory.CreateTempSubdirectory("siuss-node-soap-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopRegister()
    {
        await _register.DisposeAsync();
        _roma.Dispose();
        _registerCertificate.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [SetUp]
    public async Task RequireNodeSoap()
    {
        _node = ExternalTool.Require("node");
        _nodeModules = await NodeSoapPeer.EnsureInstalledAsync();
    }

    [Test]
    public async Task A_node_soap_client_built_from_the_served_wsdl_submits_a_flow_and_gets_a_verifiable_receipt()
    {
        var flow = new FlowBuilder().Beneficiario();
        var flowBytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(flowBytes, "H501", flow.Nome, _roma);

        var result = await SubmitWithNodeSoapAsync(trasmissione, flowBytes);

        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        byte[] receipt;
        try
        {
            receipt = Convert.FromBase64String(result.StandardOutput.Trim());
        }
        catch (FormatException)
        {
            Assert.Fail("node-soap did not print a base64 receipt: " + result.Describe());
            throw;
        }
        var ricevuta = ReceiptVerifier.Verify(receipt, _registerCertificate).Ricevuta;
        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.ErroriFlusso.Select(e => e.Codice + " " + e.Messaggio)));
            Assert.That(ricevuta.NomeFlusso, Is.EqualTo(flow.Nome));
            // node-soap carried the signed header byte for byte.
            Assert.That(ricevuta.HashRichiesta, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(trasmissione))));
            Assert.That(ricevuta.HashFlusso, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(flowBytes))));
        });
    }

    [Test]
    public async Task A_broken_signature_reaches_node_soap_as_a_SignatureInvalid_fault()
    {
        var flow = new FlowBuilder().Beneficiario();
        var flowBytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(flowBytes, "H501", flow.Nome, _roma);
        // Change one signed character (a digit of NomeFlusso's progressive) after signing: the digest no longer matches.
        var text = Encoding.UTF8.GetString(trasmissione);
        var at = text.IndexOf("</NomeFlusso>", StringComparison.Ordinal) - 1;
        var broken = Encoding.UTF8.GetBytes(text[..at] + (text[at] == '1' ? '2' : '1') + text[(at + 1)..]);

        var result = await SubmitWithNodeSoapAsync(broken, flowBytes);

        Assert.That(result.ExitCode, Is.EqualTo(3), "submit.js exits 3 on a SOAP fault: " + result.Describe());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2), result.Describe());
        Assert.That(lines[0], Does.StartWith("FAULT "), result.Describe());
        var faultCode = lines[0]["FAULT ".Length..].Trim();
        var localName = faultCode[(faultCode.LastIndexOf(':') + 1)..];
        Assert.Multiple(() =>
        {
            Assert.That(localName, Is.EqualTo(FaultCodes.SignatureInvalid), result.Describe());
            // The prefix of that QName is bound to the published fault namespace in what node-soap received.
            Assert.That(lines[1], Is.EqualTo("NAMESPACE " + Namespaces.Faults), result.Describe());
        });
    }

    [Test]
    public async Task A_node_soap_client_pages_receipts_and_reconciles_a_period_with_signed_Richieste()
    {
        var flow = new FlowBuilder().Beneficiario();
        var flowBytes = flow.ToBytes();
        await using (var client = _register.NewClient())
            await client.SubmitAsync(SignedDocuments.SignTrasmissione(flowBytes, "H501", flow.Nome, _roma), flowBytes);
        var periodo = flow.Beneficiari[0].Prestazione["DataErogazionePrestazione"]![..7];

        var listed = await QueryWithNodeSoapAsync("ListReceipts", SignedDocuments.SignListReceipts("H501", _roma, 0, 100), "Elenco");
        var reconciled = await QueryWithNodeSoapAsync("ReconcileRecords", SignedDocuments.SignReconcileRecords("H501", _roma, periodo), "Riconciliazione");

        var elenco = ReceiptVerifier.VerifyDocument<Siuss.Contracts.Documents.ElencoRicevute>(listed, _registerCertificate);
        var riconciliazione = ReceiptVerifier.VerifyDocument<Siuss.Contracts.Documents.Riconciliazione>(reconciled, _registerCertificate);
        Assert.Multiple(() =>
        {
            Assert.That(elenco.Ricevute.Select(r => r.NomeFlusso), Does.Contain(flow.Nome));
            Assert.That(riconciliazione.Records.Select(r => r.NomeFlusso), Does.Contain(flow.Nome));
        });
    }

    /// <summary>Runs <c>node query.js {endpoint}?wsdl operation richiesta part</c> and decodes the base64 answer.</summary>
    private async Task<byte[]> QueryWithNodeSoapAsync(string operation, byte[] richiesta, string answerPart)
    {
        var file = Path.Combine(_work, Guid.NewGuid().ToString("N")[..8] + "-richiesta.xml");
        await File.WriteAllBytesAsync(file, richiesta);
        var result = await ExternalTool.RunAsync(_node, ["query.js", _register.Endpoint + "?wsdl", operation, file, answerPart], NodeSoapPeer.ScriptDirectory,
            environment: new Dictionary<string, string> { ["NODE_PATH"] = _nodeModules });
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        return Convert.FromBase64String(result.StandardOutput.Trim());
    }

    /// <summary>Runs <c>node submit.js {endpoint}?wsdl trasmissione flusso</c> from the test output folder.</summary>
    private async Task<ToolResult> SubmitWithNodeSoapAsync(byte[] trasmissione, byte[] flow)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, Guid.NewGuid().ToString("N")[..8])).FullName;
        var trasmissioneFile = Path.Combine(folder, "trasmissione.xml");
        var flowFile = Path.Combine(folder, "flusso.xml");
        await File.WriteAllBytesAsync(trasmissioneFile, trasmissione);
        await File.WriteAllBytesAsync(flowFile, flow);
        var wsdl = _register.Endpoint + "?wsdl";
        return await ExternalTool.RunAsync(_node, ["submit.js", wsdl, trasmissioneFile, flowFile], NodeSoapPeer.ScriptDirectory,
            environment: new Dictionary<string, string> { ["NODE_PATH"] = _nodeModules });
    }
}
