using System.Text.Json;
using Deque.AxeCore.Commons;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Siuss.Tests.Interop;

namespace Siuss.Tests.Browser;

/// <summary>One accessibility finding of axe-core.</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, string[] Nodes)
{
    public override string ToString() => $"{Id} ({Impact}): {Help} at {string.Join(", ", Nodes)}";
}

/// <summary>
/// Debian's Chromium driven through Debian's chromedriver (apt <c>chromium</c>, <c>chromium-driver</c>; installed by
/// <c>.ci/install-browser.sh</c>): both paths are given, so Selenium Manager never looks for or downloads a browser.
/// A missing browser fails the test under CI and ignores it elsewhere, like the interop peers.
/// </summary>
public sealed class PortaleBrowser : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string DriverPath = "/usr/bin/chromedriver";
    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    private PortaleBrowser(ChromeDriver driver, Uri baseAddress)
    {
        Driver = driver;
        BaseAddress = baseAddress;
    }

    public ChromeDriver Driver { get; }
    public Uri BaseAddress { get; }

    /// <summary>Starts a headless Chromium for the register at <paramref name="baseAddress"/>.</summary>
    public static PortaleBrowser Start(Uri baseAddress)
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(DriverPath))
            ExternalTool.Unavailable($"Chromium and its driver are missing ({ChromiumPath}, {DriverPath}); install them with `bash .ci/install-browser.sh` (as root, on Debian).");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100", "--lang=it-IT",
            "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        // No password manager or form autofill: what the test types is what is posted.
        options.AddUserProfilePreference("credentials_enable_service", false);
        options.AddUserProfilePreference("profile.password_manager_enabled", false);
        options.AddUserProfilePreference("autofill.profile_enabled", false);
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(60);
        return new PortaleBrowser(driver, baseAddress);
    }

    /// <summary>Opens a path of the register (e.g. <c>portale/accesso</c>).</summary>
    public void Open(string path) => Driver.Navigate().GoToUrl(new Uri(BaseAddress, path));

    /// <summary>The current path, e.g. <c>/portale/</c>.</summary>
    public string Path_ => new Uri(Driver.Url).AbsolutePath;

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    /// <summary>Waits (up to a minute: a loaded CI machine is slow) for an element to appear.</summary>
    public IWebElement WaitFor(string css)
    {
        try
        {
            return new WebDriverWait(Driver, TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault())!;
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"{css} did not appear; the browser is at {Driver.Url} showing:\n{Driver.FindElement(By.TagName("body")).Text}");
            throw;
        }
    }

    /// <summary>Types into the field with this id (cleared first).</summary>
    public void Fill(string id, string value)
    {
        var field = Find("#" + id);
        field.Clear();
        field.SendKeys(value);
    }

    /// <summary>Submits the form of the page's main content with its submit button, as a user would.</summary>
    /// Returns once the answer has replaced the page (the old page's root gone stale), so what is read next is the answer's.
    public void Submit(string formCss = "main form", bool newPage = true)
    {
        var before = Find("html");
        Find(formCss + " button[type=submit]").Click();
        if (!newPage) return; // the upload page's script answers in place: the caller waits for what it shows
        new WebDriverWait(Driver, TimeSpan.FromSeconds(60)).Until(driver =>
        {
            try { _ = before.Enabled; return false; }
            catch (StaleElementReferenceException) { return true; }
        });
    }

    /// <summary>Runs a same-origin <c>fetch</c> in the page (so with its session cookie); returns the status and body text.</summary>
    public (int Status, string Body) Fetch(string path, string method = "GET", bool emptyForm = false)
    {
        var result = (string?)((IJavaScriptExecutor)Driver).ExecuteAsyncScript(
            """
            const [path, method, emptyForm, done] = arguments;
            const init = { method, credentials: 'same-origin', redirect: 'manual' };
            if (emptyForm) { const data = new FormData(); data.append('flussi', new Blob(['<x/>'], { type: 'text/xml' }), 'f.xml'); init.body = data; }
            fetch(path, init).then(async r => done(JSON.stringify({ status: r.status, body: r.type === 'opaqueredirect' ? '' : await r.text() })),
                                   e => done(JSON.stringify({ status: -1, body: String(e) })));
            """, path, method, emptyForm);
        using var json = JsonDocument.Parse(result ?? "{\"status\":-1,\"body\":\"\"}");
        return (json.RootElement.GetProperty("status").GetInt32(), json.RootElement.GetProperty("body").GetString() ?? "");
    }

    /// <summary>Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; returns the serious and critical violations.</summary>
    public IReadOnlyList<AxeViolation> SeriousAccessibilityViolations()
    {
        var js = (IJavaScriptExecutor)Driver;
        js.ExecuteScript(AxeScript.Value);
        var result = (string?)js.ExecuteAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })))),
                     e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));
            """);
        var all = JsonSerializer.Deserialize<AxeViolation[]>(result ?? "[]", new JsonSerializerOptions { PropertyNameCaseInsensitive = true }) ?? [];
        return all.Where(v => v.Impact is "serious" or "critical").ToList();
    }

    /// <summary>Saves a screenshot of the page.</summary>
    public void Screenshot(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Driver.GetScreenshot().SaveAsFile(file);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
