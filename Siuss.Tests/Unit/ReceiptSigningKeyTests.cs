using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Siuss.Service.Options;
using Siuss.Service.Signing;
using Siuss.Tests.Support;

namespace Siuss.Tests.Unit;

/// <summary>The register's receipt key: generated once and kept for the embedded default, or loaded as configured.</summary>
[TestFixture]
public sealed class ReceiptSigningKeyTests
{
    private string _folder = null!;

    [SetUp]
    public void Folder() => _folder = Directory.CreateTempSubdirectory("siuss-key-").FullName;

    [TearDown]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void The_generated_key_is_kept_in_the_data_folder_and_reused_on_the_next_start()
    {
        var options = new SiussOptions { DataDirectory = _folder };
        var first = new ReceiptSigningKey(options, NullLogger.Instance);
        var second = new ReceiptSigningKey(options, NullLogger.Instance);

        Assert.That(second.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint));
        Assert.That(first.Certificate.HasPrivateKey, Is.True);
        Assert.That(first.Certificate.GetECDsaPublicKey()!.KeySize, Is.EqualTo(256));
        Assert.That(File.ReadAllText(Path.Combine(_folder, ReceiptSigningKey.GeneratedCertificateFile)), Is.EqualTo(first.CertificatePem));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(Path.Combine(_folder, ReceiptSigningKey.GeneratedKeyFile)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void A_configured_PFX_with_a_password_is_used()
    {
        var certificate = TestCertificates.Rsa("CN=INPS SIUSS receipts");
        var path = Path.Combine(_folder, "register.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "s3cret"));
        var options = new SiussOptions { DataDirectory = _folder, ReceiptSigning = { CertificatePath = path, Password = "s3cret" } };

        var key = new ReceiptSigningKey(options, NullLogger.Instance);

        Assert.That(key.Certificate.Thumbprint, Is.EqualTo(certificate.Thumbprint));
        Assert.That(key.Certificate.HasPrivateKey, Is.True);
        Assert.That(File.Exists(Path.Combine(_folder, ReceiptSigningKey.GeneratedKeyFile)), Is.False, "nothing generated when configured");
    }

    [Test]
    public void A_configured_PEM_certificate_with_a_separate_key_file_is_used()
    {
        var certificate = TestCertificates.Ecdsa("CN=INPS SIUSS receipts");
        var certPath = TestCertificates.WritePem(certificate, _folder, "register.pem");
        var keyPath = Path.Combine(_folder, "register-key.pem");
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var options = new SiussOptions { DataDirectory = _folder, ReceiptSigning = { CertificatePath = certPath, KeyPath = keyPath } };

        var key = new ReceiptSigningKey(options, NullLogger.Instance);

        Assert.That(key.Certificate.Thumbprint, Is.EqualTo(certificate.Thumbprint));
    }

    [Test]
    public void A_configured_certificate_without_its_key_is_refused_at_start()
    {
        var certPath = TestCertificates.WritePem(TestCertificates.Rsa(), _folder, "register.pem");
        var options = new SiussOptions { DataDirectory = _folder, ReceiptSigning = { CertificatePath = certPath } };

        Assert.That(() => new ReceiptSigningKey(options, NullLogger.Instance), Throws.InstanceOf<CryptographicException>().Or.InstanceOf<InvalidOperationException>().Or.InstanceOf<ArgumentException>());
    }
}
