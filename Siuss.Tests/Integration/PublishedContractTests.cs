using System.Reflection;
using System.ServiceModel;
using System.Xml.Linq;
using Siuss.Contracts;
using Siuss.Service.Rules;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>What the register publishes: the hand-written WSDL and XSDs, the receipt certificate and the rule table, consistent with the code.</summary>
[TestFixture]
public sealed class PublishedContractTests
{
    private RunningRegister _register = null!;
    private HttpClient _http = null!;
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    [OneTimeSetUp]
    public async Task Start()
    {
        _register = await RunningRegister.StartAsync();
        _http = new HttpClient { BaseAddress = _register.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _register.DisposeAsync();
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Siuss.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Siuss.sln not found above the test directory.");
    }

    [Test]
    public async Task The_served_WSDL_is_the_file_in_wsdl_with_this_host_s_address()
    {
        var served = await _http.GetStringAsync("AssistanceRecord.svc?wsdl");
        var file = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "wsdl", "AssistanceRecord.wsdl"));

        Assert.That(served, Is.EqualTo(file.Replace("http://localhost/AssistanceRecord.svc", _register.Endpoint.ToString())));
        var address = XDocument.Parse(served).Descendants(Soap + "address").Single().Attribute("location")!.Value;
        Assert.That(address, Is.EqualTo(_register.Endpoint.ToString()));
    }

    [Test]
    public async Task Every_WSDL_operation_is_a_contract_operation_with_the_same_action_and_message_shape()
    {
        var wsdl = XDocument.Parse(await _http.GetStringAsync("AssistanceRecord.svc?wsdl"));
        var contract = typeof(IAssistanceRecordService).GetMethods()
            .Select(m => (Method: m, Op: m.GetCustomAttribute<OperationContractAttribute>()!))
            .ToDictionary(x => x.Op.Name!, x => x);

        var wsdlOperations = wsdl.Descendants(Wsdl + "binding").Elements(Wsdl + "operation")
            .ToDictionary(o => o.Attribute("name")!.Value, o => o.Element(Soap + "operation")!.Attribute("soapAction")!.Value);
        Assert.That(wsdlOperations.Keys, Is.EquivalentTo(contract.Keys));

        var elements = wsdl.Descendants(Xs + "element").Where(e => e.Parent?.Name == Xs + "schema")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Descendants(Xs + "element").Select(c => c.Attribute("name")!.Value).ToList());
        foreach (var (name, (method, op)) in contract)
        {
            Assert.That(wsdlOperations[name], Is.EqualTo(op.Action), $"SOAPAction of {name}");
            foreach (var type in new[] { method.GetParameters().Single().ParameterType, method.ReturnType.GetGenericArguments().Single() })
            {
                var wrapper = type.GetCustomAttribute<MessageContractAttribute>()!;
                var members = type.GetProperties().Where(p => p.GetCustomAttribute<MessageBodyMemberAttribute>() is not null)
                    .OrderBy(p => p.GetCustomAttribute<MessageBodyMemberAttribute>()!.Order).Select(p => p.Name).ToList();
                Assert.That(wrapper.WrapperNamespace, Is.EqualTo(wsdl.Root!.Attribute("targetNamespace")!.Value));
                Assert.That(elements[wrapper.WrapperName!], Is.EqualTo(members), $"body of {wrapper.WrapperName}");
            }
        }
    }

    [Test]
    public async Task The_document_and_flow_schemas_are_served_and_nothing_else()
    {
        var root = RepositoryRoot();
        foreach (var xsd in new[] { "siuss-documents.xsd", "PS_PSA_SINA.xsd" })
            Assert.That(await _http.GetStringAsync($"AssistanceRecord.svc?xsd={xsd}"), Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(root, "wsdl", xsd))));
        foreach (var probe in new[] { "../appsettings.json", "..%2Fdata%2Fsiuss.db", "receipt-key.pem", "nope.xsd" })
            Assert.That((await _http.GetAsync($"AssistanceRecord.svc?xsd={probe}")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound), probe);
    }

    [Test]
    public async Task The_receipt_certificate_is_published_and_its_key_is_not()
    {
        var pem = await _http.GetStringAsync("receipt-certificate.pem");
        Assert.That(pem, Does.StartWith("-----BEGIN CERTIFICATE-----"));
        Assert.That(pem, Does.Not.Contain("PRIVATE KEY"));
        Assert.That((await _http.GetAsync("receipt-key.pem")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Rules_document_matches_the_catalogue_and_is_served()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "rules.md");
        var expected = RuleCatalogueDocument.Render();
        if (Environment.GetEnvironmentVariable("SIUSS_UPDATE_DOCS") == "1") await File.WriteAllTextAsync(path, expected);

        Assert.That(File.Exists(path), Is.True, "docs/rules.md is missing; regenerate with SIUSS_UPDATE_DOCS=1");
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(expected), "docs/rules.md differs from the rule catalogue; regenerate with SIUSS_UPDATE_DOCS=1");
        Assert.That(await _http.GetStringAsync("rules.md"), Is.EqualTo(expected));
        foreach (var rule in RuleCodes.Catalogue) Assert.That(expected, Does.Contain($"`{rule.Code}`"));
    }
}
