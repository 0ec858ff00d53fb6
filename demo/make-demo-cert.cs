// Fallback for run-demo.sh when openssl is not installed (run with: dotnet run make-demo-cert.cs -- CERT KEY).
// Writes a self-signed RSA-2048 demo certificate (PEM) and its private key (PKCS#8 PEM), as openssl would.
// A real paying body uses the certificate its PKI issued; this is for the demo only.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run make-demo-cert.cs -- CERT.pem KEY.pem");
    return 3;
}
using var key = RSA.Create(2048);
var request = new CertificateRequest("CN=Comune di Roma (demo), O=H501", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
var now = DateTimeOffset.UtcNow;
using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
File.WriteAllText(args[0], certificate.ExportCertificatePem() + "\n");
File.WriteAllText(args[1], key.ExportPkcs8PrivateKeyPem() + "\n");
return 0;
