using System.Security.Cryptography.X509Certificates;
using Siuss.Client;
using Siuss.Contracts.Documents;

namespace Siuss.Tests.Support;

/// <summary>
/// A fixture with one running register shared by its tests (on SQLite, or on the engine a subclass passes), the body H501 (Comune di Roma) registered
/// with an RSA certificate, and the register's published receipt certificate downloaded.
/// </summary>
public abstract class RegisterFixture(string engine = TestDatabases.Sqlite)
{
    /// <summary>The database engine the register runs on (<see cref="TestDatabases"/>).</summary>
    protected string Engine { get; } = engine;

    protected RunningRegister Register { get; private set; } = null!;
    /// <summary>H501's signing certificate, with its private key.</summary>
    protected X509Certificate2 Roma { get; private set; } = null!;
    /// <summary>The register's receipt certificate, as downloaded from /receipt-certificate.pem.</summary>
    protected X509Certificate2 RegisterCertificate { get; private set; } = null!;

    /// <summary>Extra configuration for the register (e.g. lower limits).</summary>
    protected virtual IDictionary<string, string>? Settings => null;

    [OneTimeSetUp]
    public async Task StartRegisterAsync()
    {
        Register = await RunningRegister.StartAsync(Settings, engine: Engine);
        Roma = TestCertificates.Rsa();
        await Register.RegisterAgencyAsync("H501", Roma);
        RegisterCertificate = await Register.DownloadReceiptCertificateAsync();
    }

    [OneTimeTearDown]
    public async Task StopRegisterAsync() => await Register.DisposeAsync();

    /// <summary>Signs (unless a header is given) and submits a flow as H501; returns the verified receipt.</summary>
    protected async Task<Ricevuta> SubmitAsync(FlowBuilder flow, byte[]? trasmissione = null)
    {
        var bytes = flow.ToBytes();
        trasmissione ??= SignedDocuments.SignTrasmissione(bytes, flow.CodiceEnte, flow.Nome, Roma);
        await using var client = Register.NewClient();
        var raw = await client.SubmitAsync(trasmissione, bytes);
        return ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta;
    }
}
