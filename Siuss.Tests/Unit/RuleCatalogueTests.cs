using System.Text.RegularExpressions;
using Siuss.Service.Rules;
using Siuss.Tests.Integration;

namespace Siuss.Tests.Unit;

/// <summary>The rule catalogue and the code agree: no rule code exists outside the catalogue, none in it is unused.</summary>
[TestFixture]
public sealed partial class RuleCatalogueTests
{
    [GeneratedRegex("\"([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"RuleCodes\.([A-Za-z0-9]+)")]
    private static partial Regex CodeReference();

    private static IEnumerable<string> ServiceSources() =>
        Directory.EnumerateFiles(Path.Combine(PublishedContractTests.RepositoryRoot(), "Siuss.Service"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Test]
    public void No_error_code_is_written_as_a_literal_outside_the_catalogue()
    {
        var catalogueFile = Path.Combine("Rules", "RuleCodes.cs");
        var strays = ServiceSources()
            .Where(f => !f.EndsWith(catalogueFile, StringComparison.Ordinal))
            .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Groups[1].Value}"))
            .Where(s => !s.Contains("PS_PSA_SINA") && !s.Contains("RICHIESTA_INVALIDA") && !s.Contains("DATI_NON_TROVATI") && !s.Contains("ERRORE_GENERICO"))
            .ToList();

        Assert.That(strays, Is.Empty, "error codes must come from RuleCodes (and so from the documented catalogue)");
    }

    [Test]
    public void Every_catalogued_code_is_used_by_a_rule()
    {
        var used = ServiceSources()
            .Where(f => !f.EndsWith(Path.Combine("Rules", "RuleCodes.cs"), StringComparison.Ordinal))
            .SelectMany(f => CodeReference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        var constants = typeof(RuleCodes).GetFields().Where(f => f.IsLiteral).Select(f => f.Name);

        Assert.That(constants.Where(c => !used.Contains(c)), Is.Empty, "a documented code that no rule raises");
    }

    [Test]
    public void Every_rule_says_what_it_rests_on()
    {
        var missing = new List<string>();
        foreach (var rule in RuleCodes.Catalogue)
        {
            bool sourced = rule.Basis switch
            {
                // The spec's own words, quoted, with where they are.
                RuleBasis.Specification => rule.Source.StartsWith("Spec v2.0.1", StringComparison.Ordinal) && rule.Source.Contains('"'),
                RuleBasis.Xsd => rule.Source.Contains("XSD", StringComparison.Ordinal) || rule.Source.Contains(".xsd", StringComparison.Ordinal),
                RuleBasis.Law => rule.Source.StartsWith("Law: ", StringComparison.Ordinal) && rule.Source.Length > 30,
                RuleBasis.Contract => rule.Source.StartsWith("Register contract", StringComparison.Ordinal) || rule.Source.StartsWith("Spec v2.0.1", StringComparison.Ordinal),
                // A policy gives its reason, and says what the sources leave open.
                RuleBasis.Policy => rule.Source.StartsWith("Register policy: ", StringComparison.Ordinal) && rule.Source.Length > 60,
                _ => false,
            };
            if (!sourced) missing.Add($"{rule.Code} ({rule.Basis}): {rule.Source}");
        }

        Assert.That(missing, Is.Empty, "every rule rests on the spec (quoted), an XSD, the law, the register's contract, or a stated policy");
    }

    [Test]
    public void Only_policy_rules_warn_by_default_and_only_they_can_be_adjusted()
    {
        foreach (var rule in RuleCodes.Catalogue)
        {
            var expected = rule.Basis == RuleBasis.Policy ? RuleSeverity.Warn : RuleSeverity.Refuse;
            Assert.That(rule.DefaultSeverity(codeTableComplete: true), Is.EqualTo(expected), rule.Code);
            Assert.That(rule.IsAdjustable, Is.EqualTo(rule.Basis == RuleBasis.Policy), rule.Code);
        }
        Assert.That(RuleCodes.Catalogue.Where(r => r.DefaultSeverity(codeTableComplete: false) != r.DefaultSeverity(codeTableComplete: true)).Select(r => r.Code),
            Is.EquivalentTo(new[] { RuleCodes.BenefitCodeUnknown, RuleCodes.SinbaBenefitCodeUnknown }),
            "only the benefit-code rules wait for a complete code table");
    }

    [Test]
    public void Every_fault_code_has_one_catalogue_entry_with_its_own_EventId_and_a_status_a_client_can_act_on()
    {
        var declared = typeof(Siuss.Contracts.FaultCodes).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var catalogue = Siuss.Contracts.FaultCodes.Catalogue;

        Assert.That(catalogue.Select(f => f.Code), Is.EquivalentTo(declared), "every fault constant is described once");
        Assert.That(catalogue.Select(f => f.EventId), Is.Unique, "one EventId per fault");
        Assert.That(catalogue.Where(f => f.Code != Siuss.Contracts.FaultCodes.InternalError && f.HttpStatus >= 500 && f.HttpStatus != 500 && f.HttpStatus != 503),
            Is.Empty, "client faults are 4xx or the SOAP 1.1 fault status 500");
        Assert.That(catalogue.Select(f => f.When), Has.All.Length.GreaterThan(20), "each says when it is raised");
    }
}
