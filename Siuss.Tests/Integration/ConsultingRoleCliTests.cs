using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>How an operator grants and withdraws the consulting role, as real <c>Siuss.Host agency</c> processes.</summary>
[TestFixture]
public sealed class ConsultingRoleCliTests
{
    private string _work = null!;

    [SetUp]
    public void FreshWorkingDirectory() => _work = Directory.CreateTempSubdirectory("siuss-consult-role-").FullName;

    [TearDown]
    public void Clean()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { /* the temp folder is cleaned by the OS */ }
    }

    private Task<CliResult> Agency(params string[] args) => CliProcess.RunAsync(CliProcess.HostDll, _work, ["agency", .. args]);

    [Test]
    public async Task Set_consult_grants_and_withdraws_the_role_and_says_what_it_was_before()
    {
        TestCertificates.WritePem(TestCertificates.Rsa("CN=INPS"), _work, "inps.pem");
        var add = await Agency("add", "--code", "INPS", "--name", "INPS", "--belfiore", "H501", "--cert", "inps.pem");

        var grant = await Agency("set-consult", "--code", "INPS", "--on");
        var listed = await Agency("list");
        var withdraw = await Agency("set-consult", "--code", "INPS", "--off");
        var after = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());
            Assert.That(grant.ExitCode, Is.EqualTo(0), grant.ToString());
            Assert.That(grant.StdOut, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ .+: consulting role of INPS \(INPS\) granted; it was not held before\."), grant.ToString());
            Assert.That(listed.StdOut, Does.Contain("INPS\tINPS\tseat H501\tconsulting"), listed.ToString());
            Assert.That(withdraw.StdOut, Does.Contain("consulting role of INPS (INPS) withdrawn; it was held before."), withdraw.ToString());
            Assert.That(after.StdOut, Does.Not.Contain("consulting"), after.ToString());
        });
    }

    [Test]
    public async Task Pinning_a_renewed_certificate_keeps_the_role_and_bad_set_consult_commands_are_refused()
    {
        TestCertificates.WritePem(TestCertificates.Rsa("CN=INPS"), _work, "inps.pem");
        TestCertificates.WritePem(TestCertificates.Rsa("CN=INPS 2027"), _work, "inps-2027.pem");
        await Agency("add", "--code", "INPS", "--name", "INPS", "--belfiore", "H501", "--cert", "inps.pem", "--can-consult");

        var renew = await Agency("add", "--code", "INPS", "--name", "INPS", "--belfiore", "H501", "--cert", "inps-2027.pem");
        var list = await Agency("list");
        var both = await Agency("set-consult", "--code", "INPS", "--on", "--off");
        var neither = await Agency("set-consult", "--code", "INPS");
        var unknown = await Agency("set-consult", "--code", "NOSUCH", "--on");

        Assert.Multiple(() =>
        {
            Assert.That(renew.StdOut, Does.Contain("Registered INPS (INPS), seat H501, consulting role."), renew.ToString());
            Assert.That(list.StdOut, Does.Contain("INPS\tINPS\tseat H501\tconsulting"), list.ToString());
            Assert.That((both.ExitCode, neither.ExitCode), Is.EqualTo((2, 2)), both + "\n" + neither);
            Assert.That(unknown.ExitCode, Is.EqualTo(3), unknown.ToString());
            Assert.That(unknown.StdErr, Does.Contain("No body NOSUCH is registered."), unknown.ToString());
        });
    }
}
