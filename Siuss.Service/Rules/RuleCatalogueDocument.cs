using System.Text;
using Siuss.Contracts;

namespace Siuss.Service.Rules;

/// <summary>Renders the error-code catalogue as the Markdown table shipped in <c>docs/rules.md</c> and served at <c>/rules.md</c>.</summary>
public static class RuleCatalogueDocument
{
    /// <summary>The whole document.</summary>
    public static string Render()
    {
        var md = new StringBuilder();
        md.AppendLine("# Error codes of the SIUSS register");
        md.AppendLine();
        md.AppendLine("Generated from `Siuss.Service/Rules/RuleCodes.cs` (a test fails when the two differ; regenerate with");
        md.AppendLine("`SIUSS_UPDATE_DOCS=1 dotnet test --filter Rules_document`). The same text is served at `GET /rules.md`.");
        md.AppendLine();
        md.AppendLine("## Receipt error codes");
        md.AppendLine();
        md.AppendLine("Carried by a signed `Ricevuta`, in `ErroriFlusso/Errore/@Codice` (the flow as a whole),");
        md.AppendLine("`EsitiRecord/Record/Errore/@Codice` (one benefit record, refused) or `EsitiRecord/Record/Avvertenza/@Codice`");
        md.AppendLine("(one benefit record, accepted with a warning). Any error refuses the whole flow: it is stored whole or not at all.");
        md.AppendLine("`RECORD_NOT_FOUND` alone gives the outcome `DATI_NON_TROVATI`; every other error gives `RICHIESTA_INVALIDA`.");
        md.AppendLine();
        md.AppendLine("Every rule says what it rests on: the INPS specification v2.0.1 (`shared/inps`, with the quoted words), an official");
        md.AppendLine("XSD, the law, the register's published contract (integrity, identity, limits, history), or **register policy** with");
        md.AppendLine("its reason. Only sourced rules refuse. A policy rule warns by default: the record is accepted, the receipt lists the");
        md.AppendLine("warning beside it and the compliance report counts it; an operator may raise it to a refusal or silence it");
        md.AppendLine("(`rules set --code X --severity refuse|warn|off`, audited, or `Siuss:Rules:Severity:X` in the configuration).");
        md.AppendLine("The benefit-code rules refuse only once the operator has declared the code table complete (`codes import --file F --complete`).");
        md.AppendLine();
        md.AppendLine("| Code | Field | Meaning | Example | Rests on | Default |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var rule in RuleCodes.Catalogue)
            md.AppendLine($"| `{rule.Code}` | `{rule.Field}` | {Cell(rule.Meaning)} | {Cell(rule.Example)} | **{BasisName(rule.Basis)}**: {Cell(rule.Source)} | {DefaultText(rule)} |");
        md.AppendLine();
        md.AppendLine("## SOAP fault codes");
        md.AppendLine();
        md.AppendLine($"Raised before the sender is authenticated; `faultcode` is a QName in `{Namespaces.Faults}`. Nothing is stored - " +
                      $"except that a GetBeneficiaryBenefits refused after its body was authenticated (`{FaultCodes.ConsultationNotAllowed}`, " +
                      $"`{FaultCodes.DocumentInvalid}`) is written to the consultation audit.");
        md.AppendLine();
        md.AppendLine("The fault is `<faultcode xmlns:f=\"" + Namespaces.Faults + "\">f:Code</faultcode>` with an English `faultstring`. The prefix `f` and");
        md.AppendLine("the namespace are stable: PHP's SoapClient gives its callers only the prefixed text (`SoapFault::$faultcode` is");
        md.AppendLine("`f:SignatureInvalid`), so match on the local name after `f:`; clients that resolve QNames (WCF, Node soap, Java) see");
        md.AppendLine("the code in `" + Namespaces.Faults + "`. Each fault is logged once, with the EventId below (named after the code).");
        md.AppendLine();
        md.AppendLine("| Fault code | HTTP | EventId | Raised when |");
        md.AppendLine("|---|---|---|---|");
        foreach (var fault in FaultCodes.Catalogue)
            md.AppendLine($"| `{fault.Code}` | {fault.HttpStatus} | {fault.EventId} | {Cell(fault.When)} |");
        return md.ToString();
    }

    private static string BasisName(RuleBasis basis) => basis switch
    {
        RuleBasis.Specification => "spec",
        RuleBasis.Xsd => "XSD",
        RuleBasis.Law => "law",
        RuleBasis.Contract => "register contract",
        _ => "register policy",
    };

    private static string DefaultText(RuleDescription rule) =>
        rule.RefusesOnlyWithCompleteCodeTable ? "warn; refuse once the code table is complete"
        : rule.DefaultSeverity(codeTableComplete: true) == RuleSeverity.Warn ? "warn" : "refuse";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
