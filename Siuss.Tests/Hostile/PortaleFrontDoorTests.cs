using System.Text;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>
/// The web channel's place on the front door's allow-list, over raw HTTP with exact request targets: its pages, forms and
/// static files by method; a variant of a listed path (case, encoding, dot segments, doubled or trailing slash, sub-path)
/// is a 404, another method a 405 naming the allowed ones; a form posted without login or token stores nothing.
/// </summary>
[TestFixture]
public sealed class PortaleFrontDoorTests : HostileFixture
{
    public static IEnumerable<TestCaseData> NotListed()
    {
        foreach (var target in new[]
                 {
                     "/Portale/", "/PORTALE/accesso", "/portale/Accesso", "/portale//accesso", "/portale/%61ccesso", "/portale/./accesso",
                     "/portale/x/../accesso", "/portale/accesso/", "/portale/accesso;x", "/portale/ricevute/a/b", "/portale/ricevute/a%2Fb",
                     "/portale/static/../Siuss.Host.dll", "/portale/static/.hidden", "/portale/static/bootstrap-italia/../portale.css",
                     "/portale/static/x/y.css", "/portale/attivazione/", "/portale/attivazione/a.b", "/portalex", "/portale.", "/portale/index",
                 })
            foreach (var method in new[] { "GET", "POST" })
                yield return new TestCaseData(method, target).SetName($"{method} {target} -> 404");
    }

    [TestCaseSource(nameof(NotListed))]
    public async Task A_variant_of_a_portal_path_is_not_found(string method, string target)
    {
        var answer = await SendAsync(method, target);
        Assert.That(answer.Status, Is.EqualTo(404), answer.ToString());
        Assert.That(answer.FaultCode, Is.EqualTo(FaultCodes.EndpointNotFound), answer.ToString());
    }

    public static IEnumerable<TestCaseData> WrongMethod()
    {
        TestCaseData Case(string method, string target, string allow) =>
            new TestCaseData(method, target, allow).SetName($"{method} {target} -> 405 Allow {allow}");
        foreach (var method in new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" })
            yield return Case(method, "/portale/accesso", "GET, POST");
        yield return Case("POST", "/portale/ricevute", "GET");
        yield return Case("POST", "/portale/ricevute/abc/xml", "GET");
        yield return Case("POST", "/portale/static/portale.css", "GET");
        yield return Case("GET", "/portale/esci", "POST");
        yield return Case("DELETE", "/portale/invio", "GET, POST");
    }

    [TestCaseSource(nameof(WrongMethod))]
    public async Task Another_method_on_a_portal_path_is_405_with_the_allowed_ones(string method, string target, string allow)
    {
        var answer = await SendAsync(method, target);
        Assert.That(answer.Status, Is.EqualTo(405), answer.ToString());
        Assert.That(answer.FaultCode, Is.EqualTo(FaultCodes.MethodNotAllowed), answer.ToString());
        Assert.That(answer.Headers["Allow"], Is.EqualTo(allow));
    }

    [Test]
    public async Task The_listed_pages_and_files_are_served_and_only_login_and_activation_to_a_visitor()
    {
        Assert.That((await SendAsync("GET", "/portale/accesso")).Status, Is.EqualTo(200));
        Assert.That((await SendAsync("GET", "/portale/accesso?ritorno=%2Fportale%2Fricevute")).Status, Is.EqualTo(200));
        Assert.That((await SendAsync("GET", "/portale/attivazione/abc")).Status, Is.EqualTo(200), "an unknown link shows the page that says so");
        var css = await SendAsync("GET", "/portale/static/bootstrap-italia/css/bootstrap-italia.min.css");
        Assert.That(css.Status, Is.EqualTo(200));
        Assert.That(css.Headers["Content-Type"], Does.StartWith("text/css"));
        Assert.That((await SendAsync("GET", "/portale/static/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2")).Status, Is.EqualTo(200));
        foreach (var page in new[] { "/portale", "/portale/", "/portale/invio", "/portale/ricevute", "/portale/ricevute/abc", "/portale/ricevute/abc/xml" })
        {
            var answer = await SendAsync("GET", page);
            Assert.That(answer.Status, Is.EqualTo(302), page);
            Assert.That(answer.Headers["Location"], Does.Contain("/portale/accesso?ritorno="), page);
        }
    }

    [Test]
    public async Task A_form_posted_without_login_or_antiforgery_token_stores_nothing()
    {
        var submissions = await World.Register.CountAsync("SELECT COUNT(*) FROM submissions");
        var users = await World.Register.CountAsync("SELECT COUNT(*) FROM portal_audit");
        var upload = await SendAsync("POST", "/portale/invio", "application/x-www-form-urlencoded", "flussi=x");
        Assert.That(upload.Status, Is.EqualTo(302), "an anonymous upload is sent to the login page");
        var login = await SendAsync("POST", "/portale/accesso", "application/x-www-form-urlencoded", "Email=a%40b.it&Password=x&Codice=123456");
        Assert.That(login.Status, Is.EqualTo(400), "a login form without its antiforgery token is refused");
        var activation = await SendAsync("POST", "/portale/attivazione/abc", "application/x-www-form-urlencoded", "Password=x");
        Assert.That(activation.Status, Is.EqualTo(400));
        Assert.That(await World.Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions));
        Assert.That(await World.Register.CountAsync("SELECT COUNT(*) FROM portal_audit"), Is.EqualTo(users), "refused before any login ran");
    }

    private Task<RawAnswer> SendAsync(string method, string target, string? contentType = null, string body = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new List<(string, string)>();
        if (contentType is not null) headers.Add(("Content-Type", contentType));
        if (method is "POST" or "PUT" or "PATCH" || bytes.Length > 0) headers.Add(("Content-Length", bytes.Length.ToString()));
        var address = World.Register.BaseAddress;
        return RawHttp.SendAsync(address, [RawHttp.Head(address, method, target, headers), bytes]);
    }
}
