using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OtpNet;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Storage;
using Siuss.Tests.Integration;
using Siuss.Tests.Support;

namespace Siuss.Tests.Browser;

/// <summary>
/// The web channel end to end: a real register on loopback, the operator verbs as a real process, Debian's Chromium as the
/// operator's browser. The register's clock is one the test moves forward, so TOTP steps, lockout and the idle timeout are
/// exercised without waiting. Every page visited is checked with axe-core (no serious or critical violation).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PortaleBrowserTests
{
    private const string Password = "una password lunga e sicura";
    private readonly AdvanceableClock _clock = new();
    private RunningRegister _register = null!;
    private PortaleBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartRegisterAndBrowser()
    {
        _register = await RunningRegister.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(_clock));
        await _register.RegisterAgencyAsync("H501", null, belfiore: "H501", name: "Comune di Roma");
        await _register.RegisterAgencyAsync("F205", null, belfiore: "F205", name: "Comune di Milano");
        _browser = PortaleBrowser.Start(_register.BaseAddress);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _browser?.Dispose();
        if (_register is not null) await _register.DisposeAsync();
    }

    [SetUp]
    public void LoggedOut()
    {
        _browser.Open("portale/accesso");
        _browser.Driver.Manage().Cookies.DeleteAllCookies();
    }

    [Test]
    public async Task Activation_then_login_with_both_factors_opens_a_secure_session()
    {
        var email = NewEmail();
        var link = await InviteAsync("H501", email);
        var secret = Activate(link);

        var user = await Users.FindByEmailAsync(email);
        Assert.That(user!.IsActive, Is.True);
        Assert.That(user.PasswordHash, Does.Not.Contain(Password), "the password is stored only as Identity's hash");
        Assert.That(user.TotpSecret, Does.Not.Contain(secret), "the TOTP secret is stored encrypted");

        _browser.Open(new Uri(link).PathAndQuery.TrimStart('/'));
        Assert.That(_browser.FindAll("#link-non-valido"), Has.Count.EqualTo(1), "an activation link works once");

        LogIn(email, secret);
        Assert.That(_browser.Path_, Is.EqualTo("/portale/"));
        Assert.That(_browser.Find("main").Text, Does.Contain("H501"));
        AssertAccessible("home");

        var session = _browser.Driver.Manage().Cookies.GetCookieNamed("siuss-portale")!;
        Assert.That(session, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(session.Secure, Is.True, "Secure");
            Assert.That(session.IsHttpOnly, Is.True, "HttpOnly");
            Assert.That(session.SameSite, Is.EqualTo("Strict"));
            Assert.That(session.Expiry, Is.Null, "a session cookie, not a persistent one");
        });

        var audit = await Users.ReadAuditAsync();
        Assert.That(audit.Where(a => a.UserId == user.Id).Select(a => a.Action), Is.SupersetOf(new[] { "activation", "login" }));
        Assert.That(audit.Where(a => a.UserId == user.Id), Has.All.Matches<PortalAuditEntry>(a => a.AgencyCode == "H501" && a.CorrelationId.Length > 0));
        Assert.That(audit.Select(a => a.Detail + a.SessionId + a.UserId), Has.None.Contains(email), "no address in the audit lines");
    }

    [Test]
    public async Task Wrong_codes_lock_the_account_even_against_the_right_code_until_the_lockout_ends()
    {
        var email = NewEmail();
        var secret = Activate(await InviteAsync("H501", email));

        for (int attempt = 1; attempt <= 4; attempt++)
        {
            TryLogIn(email, Password, WrongCode(secret));
            Assert.That(_browser.Find("#errore-accesso").Text, Does.Contain("Credenziali non valide"), $"attempt {attempt}");
        }
        AssertAccessible("accesso (errore)");
        TryLogIn(email, Password, WrongCode(secret));
        Assert.That(_browser.Find("#errore-accesso").Text, Does.Contain("bloccato"));

        TryLogIn(email, Password, Code(secret));
        Assert.That(_browser.Find("#errore-accesso").Text, Does.Contain("bloccato"), "the right code does not open a locked account");
        Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"));

        _clock.Advance(TimeSpan.FromMinutes(16));
        LogIn(email, secret);
        Assert.That(_browser.Path_, Is.EqualTo("/portale/"));
        var audit = await Users.ReadAuditAsync();
        var id = (await Users.FindByEmailAsync(email))!.Id;
        Assert.That(audit.Count(a => a.UserId == id && a.Action == "login-locked"), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Password_without_the_second_factor_does_not_log_in()
    {
        var email = NewEmail();
        var secret = Activate(await InviteAsync("H501", email));
        TryLogIn(email, Password, "");
        Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"));
        TryLogIn(email, "not the password", Code(secret));
        Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"));
        Assert.That(_browser.Driver.Manage().Cookies.GetCookieNamed("siuss-portale"), Is.Null);
    }

    [Test]
    public async Task Upload_of_a_valid_and_an_invalid_flow_shows_each_outcome_and_its_codes()
    {
        var email = NewEmail();
        LogIn(email, Activate(await InviteAsync("H501", email)));
        var valid = new FlowBuilder().Beneficiario().Beneficiario(b => b.CodiceFiscale = "BNCGVN70A01H501H");
        var folder = Directory.CreateTempSubdirectory("siuss-portale-upload-").FullName;
        var validFile = Path.Combine(folder, "valido.xml");
        var invalidFile = Path.Combine(folder, "non-valido.xml");
        await File.WriteAllBytesAsync(validFile, valid.ToBytes());
        await File.WriteAllTextAsync(invalidFile, "<Flusso xmlns=\"http://inps.it/Casellario\"><Sbagliato/></Flusso>");

        _browser.Open("portale/invio");
        AssertAccessible("invio");
        _browser.Find("#flussi").SendKeys(validFile + "\n" + invalidFile);
        _browser.Submit("#modulo-invio", newPage: false);
        _browser.WaitFor("#esiti");

        var rows = _browser.FindAll("tr.esito-file").Select(r => r.Text).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows.Single(r => r.Contains("valido.xml") && !r.Contains("non-valido")), Does.Contain(Esiti.Ok).And.Contain(valid.Nome));
        Assert.That(rows.Single(r => r.Contains("non-valido.xml")), Does.Contain(Esiti.RichiestaInvalida).And.Contain("FLOW_SCHEMA_INVALID"));
        AssertAccessible("invio (esiti)");
        Screenshot("invio.png");

        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions WHERE agency_code = 'H501' AND nome_flusso = @n AND esito = 'OK'", new { n = valid.Nome }), Is.EqualTo(1));
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM benefit_records p JOIN submissions s ON s.id = p.submission_id WHERE s.nome_flusso = @n", new { n = valid.Nome }), Is.EqualTo(2));

        _browser.Find("tr.esito-file a[href^='/portale/ricevute/']").Click();
        _browser.WaitFor("#riepilogo");
        Assert.That(_browser.Find("#esito").Text, Is.EqualTo(Esiti.Ok));
        Assert.That(_browser.Find("#canale").Text, Does.StartWith("web"));
        Assert.That(_browser.FindAll("#esiti-record tbody tr"), Has.Count.EqualTo(2));
        AssertAccessible("ricevuta");
        Screenshot("ricevuta.png");

        var (status, xml) = _browser.Fetch(new Uri(_browser.Driver.Url).AbsolutePath + "/xml");
        Assert.That(status, Is.EqualTo(200));
        var ricevuta = ReceiptVerifier.Verify(System.Text.Encoding.UTF8.GetBytes(xml), await _register.DownloadReceiptCertificateAsync()).Ricevuta;
        var user = await Users.FindByEmailAsync(email);
        Assert.That(ricevuta.Canale, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Canale!.Tipo, Is.EqualTo(Canale.Web));
            Assert.That(ricevuta.Canale.IdUtente, Is.EqualTo(user!.Id));
            Assert.That(ricevuta.Canale.IdSessione, Is.Not.Empty);
            Assert.That(ricevuta.NomeFlusso, Is.EqualTo(valid.Nome));
            Assert.That(ricevuta.Riepilogo.Validi, Is.EqualTo(2));
        });

        _browser.Open("portale/ricevute?esito=" + Esiti.RichiestaInvalida);
        Assert.That(_browser.FindAll("#elenco-ricevute tbody tr").Select(r => r.Text), Has.All.Contain(Esiti.RichiestaInvalida).And.Not.Empty);
        _browser.Open("portale/ricevute?flusso=" + Uri.EscapeDataString(valid.Nome));
        Assert.That(_browser.FindAll("#elenco-ricevute tbody tr"), Has.Count.EqualTo(1));
        AssertAccessible("ricevute");
        _browser.Open("portale/ricevute?al=2000-01-01");
        Assert.That(_browser.FindAll("#nessuna-ricevuta"), Has.Count.EqualTo(1));
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task Another_bodys_receipt_is_not_found()
    {
        var roma = NewEmail();
        LogIn(roma, Activate(await InviteAsync("H501", roma)));
        var flow = new FlowBuilder().Beneficiario();
        var file = Path.Combine(Directory.CreateTempSubdirectory("siuss-portale-other-").FullName, "roma.xml");
        await File.WriteAllBytesAsync(file, flow.ToBytes());
        _browser.Open("portale/invio");
        _browser.Find("#flussi").SendKeys(file);
        _browser.Submit("#modulo-invio", newPage: false);
        _browser.WaitFor("#esiti");
        var receiptPath = new Uri(_browser.Find("tr.esito-file a[href^='/portale/ricevute/']").GetAttribute("href")!).AbsolutePath;
        Assert.That(_browser.Fetch(receiptPath).Status, Is.EqualTo(200));

        _browser.Driver.Manage().Cookies.DeleteAllCookies();
        var milano = NewEmail();
        LogIn(milano, Activate(await InviteAsync("F205", milano)));
        var (status, body) = _browser.Fetch(receiptPath);
        Assert.That(status, Is.EqualTo(404));
        Assert.That(body, Does.Not.Contain(flow.Nome));
        Assert.That(_browser.Fetch(receiptPath + "/xml").Status, Is.EqualTo(404));
        _browser.Open("portale/ricevute");
        Assert.That(_browser.Find("main").Text, Does.Not.Contain(flow.Nome), "the list shows only the operator's own body");
    }

    [Test]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_and_stores_nothing()
    {
        var email = NewEmail();
        LogIn(email, Activate(await InviteAsync("H501", email)));
        _browser.Open("portale/invio");
        var before = await _register.CountAsync("SELECT COUNT(*) FROM submissions");
        var (status, _) = _browser.Fetch("/portale/invio", "POST", emptyForm: true);
        Assert.That(status, Is.EqualTo(400));
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(before));
        Assert.That(_browser.Fetch("/portale/esci", "POST").Status, Is.EqualTo(400), "logout too needs the token");
    }

    [Test]
    public async Task An_idle_session_expires_and_a_disabled_user_is_logged_out()
    {
        var email = NewEmail();
        var secret = Activate(await InviteAsync("H501", email));
        LogIn(email, secret);
        _browser.Open("portale/ricevute");
        Assert.That(_browser.Path_, Is.EqualTo("/portale/ricevute"));

        _clock.Advance(TimeSpan.FromMinutes(16)); // the default idle timeout is 15 minutes
        _browser.Open("portale/ricevute");
        Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"));
        Assert.That(new Uri(_browser.Driver.Url).Query, Does.Contain("ritorno=%2Fportale%2Fricevute"));

        LogIn(email, secret);
        var disabled = await CliProcess.RunAsync(CliProcess.HostDll, _register.DataDirectory, ["user", "disable", "--email", email, .. DataArgs]);
        Assert.That(disabled.ExitCode, Is.EqualTo(0), disabled.ToString());
        _browser.Open("portale/invio");
        Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"), "a disabled account's session ends at its next request");
        TryLogIn(email, Password, Code(secret));
        Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"));
    }

    [Test]
    public void Anonymous_visitors_get_the_login_page_and_it_is_accessible()
    {
        foreach (var page in new[] { "portale/", "portale/invio", "portale/ricevute", "portale/ricevute/qualsiasi" })
        {
            _browser.Open(page);
            Assert.That(_browser.Path_, Is.EqualTo("/portale/accesso"), page);
        }
        AssertAccessible("accesso");
        _browser.Open("portale/attivazione/non-un-link-valido");
        Assert.That(_browser.FindAll("#link-non-valido"), Has.Count.EqualTo(1));
        AssertAccessible("attivazione (link non valido)");
    }

    // --- helpers ---

    private PortalUserRepository Users => _register.Services.GetRequiredService<PortalUserRepository>();

    private string[] DataArgs => [$"--Siuss:DataDirectory={_register.DataDirectory}", $"--Siuss:Portale:PublicUrl={_register.BaseAddress.ToString().TrimEnd('/')}"];

    private static string NewEmail() => $"operatore.{Guid.NewGuid():N}@comune.example.it";

    /// <summary><c>user add</c> as the operator runs it; returns the activation URL it printed on a line of its own.</summary>
    private async Task<string> InviteAsync(string ente, string email)
    {
        var result = await CliProcess.RunAsync(CliProcess.HostDll, _register.DataDirectory, ["user", "add", "--ente", ente, "--email", email, .. DataArgs]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var line = result.StdOut.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http"));
        Assert.That(line, Does.Match("^" + Regex.Escape(_register.BaseAddress.ToString()) + "portale/attivazione/[A-Za-z0-9_-]{43}$"));
        return line;
    }

    /// <summary>Opens the activation link, sets the password and enrols the TOTP secret shown; returns the secret.</summary>
    private string Activate(string link)
    {
        _browser.Open(new Uri(link).PathAndQuery.TrimStart('/'));
        var secret = _browser.Find("#segreto").Text.Trim();
        Assert.That(_browser.Find("#otpauth").Text, Does.StartWith("otpauth://totp/"));
        AssertAccessible("attivazione");
        _browser.Fill("password", Password);
        _browser.Fill("conferma", Password);
        _browser.Fill("codice", Code(secret));
        _browser.Submit();
        _browser.WaitFor("#attivato");
        return secret;
    }

    private void LogIn(string email, string secret)
    {
        TryLogIn(email, Password, Code(secret));
        Assert.That(_browser.Path_, Is.Not.EqualTo("/portale/accesso"), () =>
        {
            var user = Users.FindByEmailAsync(email).GetAwaiter().GetResult();
            return $"login failed: {string.Join(" ", _browser.FindAll("#errore-accesso").Select(e => e.Text))}; account active {user?.IsActive}, " +
                $"failed attempts {user?.FailedAttempts}, last TOTP step {user?.LastTotpStep}, register clock step {_clock.GetUtcNow().ToUnixTimeSeconds() / 30}";
        });
    }

    private void TryLogIn(string email, string password, string code)
    {
        _clock.Advance(TimeSpan.FromSeconds(31)); // a new TOTP step: a code is accepted only once
        _browser.Open("portale/accesso");
        _browser.Fill("email", email);
        _browser.Fill("password", password);
        _browser.Fill("codice", code);
        _browser.Submit();
        _browser.WaitFor("h1");
    }

    private string Code(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_clock.GetUtcNow().UtcDateTime);

    private string WrongCode(string secret) => ((int.Parse(Code(secret)) + 500_000) % 1_000_000).ToString("D6");

    private void AssertAccessible(string page)
    {
        var violations = _browser.SeriousAccessibilityViolations();
        TestContext.Out.WriteLine($"axe-core on {page}: {violations.Count} serious or critical violations");
        Assert.That(violations, Is.Empty, $"accessibility of {page}: " + string.Join("; ", violations));
    }

    // The README's screenshots: refreshed in docs/portale/ with SIUSS_UPDATE_DOCS=1 (like docs/rules.md), else kept with the test's files.
    private void Screenshot(string name)
    {
        var target = Environment.GetEnvironmentVariable("SIUSS_UPDATE_DOCS") == "1"
            ? Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "docs", "portale", name))
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "portale-screenshots", name);
        _browser.Screenshot(target);
        TestContext.AddTestAttachment(target);
    }
}
