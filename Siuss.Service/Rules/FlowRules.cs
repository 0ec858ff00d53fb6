using System.Globalization;
using System.Text.RegularExpressions;
using Siuss.Contracts.Documents;
using Siuss.Service.Flows;
using Siuss.Service.Storage;

namespace Siuss.Service.Rules;

/// <summary>Rules about a flow as a whole: its name and the body it says it comes from.</summary>
public static partial class FlowRules
{
    [GeneratedRegex(@"^(?<ente>[^.]{1,32})\.(?<tipo>PS|PSA|SINA|SINBA)\.(?<data>\d{8})\.(?<prog>\d{1,12})$", RegexOptions.CultureInvariant)]
    private static partial Regex FlowName();

    /// <summary>Checks the flow's identification against the signed header and the registered body.</summary>
    public static List<RuleViolation> CheckIdentification(FlowIdentification id, Trasmissione header, Agency agency, DateOnly receiptDate)
    {
        var violations = new List<RuleViolation>();
        if (id.Nome != header.NomeFlusso)
            violations.Add(new(RuleCodes.FlowNameMismatch, "IdentificazioneFlusso/@Nome", $"The flow is named '{id.Nome}' but the Trasmissione names '{header.NomeFlusso}'."));
        var nameProblem = CheckName(id.Nome, header.CodiceEnte, header.TipoFlusso, receiptDate);
        if (nameProblem is not null) violations.Add(nameProblem);
        if (id.CodiceEnte != header.CodiceEnte)
            violations.Add(new(RuleCodes.FlowEnteMismatch, "Ente/@Codice", $"The flow says Ente '{id.CodiceEnte}' but the Trasmissione was signed for '{header.CodiceEnte}'."));
        if (!string.Equals(id.IndirizzoEnte, agency.Belfiore, StringComparison.OrdinalIgnoreCase))
            violations.Add(new(RuleCodes.FlowSeatMismatch, "Ente/@Indirizzo", $"The seat's cadastral code '{id.IndirizzoEnte}' is not the one registered for the body."));
        if (!FiscalCode.IsValid(id.CFOperatore))
            violations.Add(new(RuleCodes.OperatorFiscalCodeInvalid, "Ente/@CFOperatore", "The operator's fiscal code is not valid (check character)."));
        return violations;
    }

    /// <summary>Checks a flow name's shape: {CodiceEnte}.{PS|PSA|SINA|SINBA}.{yyyyMMdd}.{progressive}.</summary>
    public static RuleViolation? CheckName(string name, string codiceEnte, string tipoFlusso, DateOnly receiptDate)
    {
        var match = FlowName().Match(name);
        if (!match.Success)
            return new(RuleCodes.FlowNameFormat, "IdentificazioneFlusso/@Nome", $"The flow name '{name}' is not {{CodiceEnte}}.{{PS|PSA|SINA|SINBA}}.{{yyyyMMdd}}.{{progressive}}.");
        if (match.Groups["ente"].Value != codiceEnte)
            return new(RuleCodes.FlowNameFormat, "IdentificazioneFlusso/@Nome", $"The flow name '{name}' does not start with the body's code '{codiceEnte}'.");
        var kind = match.Groups["tipo"].Value;
        bool kindFits = tipoFlusso == TipiFlusso.Sinba ? kind == "SINBA" : kind is "PS" or "PSA" or "SINA";
        if (!kindFits)
            return new(RuleCodes.FlowNameFormat, "IdentificazioneFlusso/@Nome", $"The flow name's kind '{kind}' does not fit a {tipoFlusso} flow.");
        if (!DateOnly.TryParseExact(match.Groups["data"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new(RuleCodes.FlowNameFormat, "IdentificazioneFlusso/@Nome", $"The flow name's date '{match.Groups["data"].Value}' is not a date.");
        if (date > receiptDate)
            return new(RuleCodes.FlowNameFormat, "IdentificazioneFlusso/@Nome", $"The flow name is dated {date:yyyy-MM-dd}, after the day of receipt.");
        return null;
    }
}
