using System.Text.RegularExpressions;
using Siuss.Service.Flows;

namespace Siuss.Service.Rules;

/// <summary>What the record rules need besides the record: the day of receipt, the code table, and what each rule does (by default the catalogue's defaults).</summary>
public sealed record RuleContext(DateOnly ReceiptDate, BenefitCodeTable Codes, RuleSeverities? Severities = null)
{
    /// <summary>The severities in force.</summary>
    public RuleSeverities Severities { get; init; } = Severities ?? RuleSeverities.Default;
}

/// <summary>
/// The business rules of DOMAIN.md beyond the XSD, one small pure function each. A cancellation (<c>C</c>) is held to
/// the same sourced rules as an insert: the spec describes every PrestazioniSociali alike and exempts none ("C -
/// Cancellazione" changes what the register does with the record, not what the record must carry). The register's
/// policy rules judge the plausibility of a benefit being registered; a cancellation withdraws it, so they do not apply.
/// </summary>
public static partial class RecordRules
{
    /// <summary>Days after payment beyond which a record is flagged late.</summary>
    public const int TimelinessDays = 30;

    /// <summary>Checks one beneficiary's own data (fiscal code, addresses), adding what is wrong to <paramref name="violations"/>.</summary>
    public static void CheckBeneficiario(Beneficiario b, List<RuleViolation> violations)
    {
        if (!FiscalCode.IsValid(b.CodiceFiscale))
            violations.Add(new(RuleCodes.FiscalCodeInvalid, "CodiceFiscale", "The beneficiary's fiscal code is not valid (check character)."));
        OfficialCodeLists.CheckNation(b.CodiceCittadinanza, "CodiceCittadinanza", citizenship: true, violations);
        OfficialCodeLists.CheckNation(b.CodiceSecondaCittadinanza, "CodiceSecondaCittadinanza", citizenship: true, violations);
        foreach (var address in b.Indirizzi)
            OfficialCodeLists.CheckNation(address.CodiceNazione, "Indirizzo/@CodiceNazione", citizenship: false, violations);
        foreach (var address in b.Indirizzi)
        {
            if (address.CodiceNazione == "380" && (string.IsNullOrEmpty(address.CodiceRegione) || string.IsNullOrEmpty(address.CodiceComune)))
            {
                violations.Add(new(RuleCodes.AddressItalyCodesRequired, "Indirizzo", "An Italian address (CodiceNazione 380) needs CodiceRegione and CodiceComune."));
                return;
            }
        }
    }

    /// <summary>
    /// Checks one benefit record, adding what is wrong to <paramref name="violations"/>; every rule runs, so the
    /// receipt lists every problem at once. The caller owns the list: a valid record then costs no allocation.
    /// </summary>
    public static void CheckPrestazione(Prestazione p, RuleContext context, List<RuleViolation> violations)
    {
        int first = violations.Count;
        Dsu(p, violations);
        Carattere(p, violations);
        Quotas(p, violations);
        OreServizio(p, violations);
        PresaCarico(p, violations);
        BenefitCodeRules(p, context, violations);
        DatesNotInFuture(p, context.ReceiptDate, violations);
        if (p.TipoOperazione == "C")
        {
            for (int i = violations.Count - 1; i >= first; i--)
            {
                if (RuleSeverities.Describe(violations[i].Code)?.Basis == RuleBasis.Policy) violations.RemoveAt(i);
            }
        }
    }

    /// <summary>True when the record reaches the register more than <see cref="TimelinessDays"/> days after payment.</summary>
    public static bool IsLate(Prestazione p, DateOnly receiptDate)
    {
        var paid = p.DataEvento ?? p.DataErogazionePrestazione ?? p.DataInizioPrestazione;
        return paid is { } date && receiptDate.DayNumber - date.DayNumber > TimelinessDays;
    }

    [GeneratedRegex(@"^INPS-ISEE-(\d{4})-\d{8}[A-Z]-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DsuProtocol();

    private static void Dsu(Prestazione p, List<RuleViolation> violations)
    {
        bool hasNumber = !string.IsNullOrEmpty(p.NumeroProtocolloDSU);
        bool hasYear = !string.IsNullOrEmpty(p.AnnoProtocolloDSU);
        bool hasDate = p.DataDSU is not null;
        if (!hasNumber && !hasYear && !hasDate)
        {
            if (p.PresenzaProvaMezzi == "1")
                violations.Add(new(RuleCodes.DsuRequiredForPsa, "NumeroProtocolloDSU", "A PSA record (PresenzaProvaMezzi=1) needs NumeroProtocolloDSU, AnnoProtocolloDSU and DataDSU."));
            return;
        }
        if (!(hasNumber && hasYear && hasDate))
        {
            violations.Add(new(RuleCodes.DsuIncomplete, "NumeroProtocolloDSU", "NumeroProtocolloDSU, AnnoProtocolloDSU and DataDSU must be given all together or not at all."));
            return;
        }
        var match = DsuProtocol().Match(p.NumeroProtocolloDSU!);
        if (!match.Success)
            violations.Add(new(RuleCodes.DsuProtocolFormat, "NumeroProtocolloDSU", "NumeroProtocolloDSU must look like INPS-ISEE-yyyy-nnnnnnnnX-nn."));
        else if (match.Groups[1].Value != p.AnnoProtocolloDSU)
            violations.Add(new(RuleCodes.DsuYearMismatch, "AnnoProtocolloDSU", "The year in NumeroProtocolloDSU differs from AnnoProtocolloDSU."));
    }

    private static void Carattere(Prestazione p, List<RuleViolation> violations)
    {
        switch (p.CaratterePrestazione)
        {
            case "1":
                if (p.DataInizioPrestazione is null)
                    violations.Add(new(RuleCodes.PeriodicStartRequired, "DataInizioPrestazione", "A periodic benefit needs DataInizioPrestazione."));
                if (p.ImportoMensile is not > 0)
                    violations.Add(new(RuleCodes.PeriodicMonthlyAmountRequired, "ImportoMensile", "A periodic benefit needs ImportoMensile greater than zero."));
                if (p is { DataInizioPrestazione: { } start, DataFinePrestazione: { } end })
                {
                    if (end < start)
                        violations.Add(new(RuleCodes.PeriodicEndBeforeStart, "DataFinePrestazione", "DataFinePrestazione is before DataInizioPrestazione."));
                    else if (end.Year != start.Year)
                        violations.Add(new(RuleCodes.PeriodicEndOtherYear, "DataFinePrestazione", "A periodic benefit is sent one record per calendar year: DataFinePrestazione must be in the start's year."));
                }
                break;
            case "2":
                if (p.DataErogazionePrestazione is null)
                    violations.Add(new(RuleCodes.OneOffDateRequired, "DataErogazionePrestazione", "A one-off benefit needs DataErogazionePrestazione."));
                if (p.ImportoPrestazione is not > 0)
                    violations.Add(new(RuleCodes.OneOffAmountRequired, "ImportoPrestazione", "A one-off benefit needs ImportoPrestazione greater than zero."));
                break;
            default:
                violations.Add(new(RuleCodes.CarattereRequired, "CaratterePrestazione", "CaratterePrestazione is required: 1 periodic, 2 one-off."));
                break;
        }
    }

    private static void Quotas(Prestazione p, List<RuleViolation> violations)
    {
        QuotaSigns(p, violations);
        if (p.ImportoQuotaEnte is null && p.ImportoQuotaUtente is null && p.ImportoQuotaSSN is null) return;
        var total = p.IsPeriodic ? p.ImportoMensile : p.ImportoPrestazione;
        if (total is null) return; // the missing amount is reported by its own rule
        var sum = (p.ImportoQuotaEnte ?? 0) + (p.ImportoQuotaUtente ?? 0) + (p.ImportoQuotaSSN ?? 0);
        if (sum != total)
            violations.Add(new(RuleCodes.QuotasSumMismatch, "ImportoQuotaEnte",
                $"ImportoQuotaEnte + ImportoQuotaUtente + ImportoQuotaSSN is {sum}, not the {(p.IsPeriodic ? "monthly" : "total")} amount {total}."));
    }

    // Spec Tabella 9: ImportoQuotaEnte and ImportoQuotaSSN "Maggiore 0", ImportoQuotaUtente "Maggiore o uguale a 0".
    private static void QuotaSigns(Prestazione p, List<RuleViolation> violations)
    {
        if (p.ImportoQuotaEnte is <= 0)
            violations.Add(new(RuleCodes.QuotaOutOfRange, "ImportoQuotaEnte", $"ImportoQuotaEnte is {p.ImportoQuotaEnte}; when given it must be greater than zero."));
        if (p.ImportoQuotaUtente is < 0)
            violations.Add(new(RuleCodes.QuotaOutOfRange, "ImportoQuotaUtente", $"ImportoQuotaUtente is {p.ImportoQuotaUtente}; when given it must be zero or more."));
        if (p.ImportoQuotaSSN is <= 0)
            violations.Add(new(RuleCodes.QuotaOutOfRange, "ImportoQuotaSSN", $"ImportoQuotaSSN is {p.ImportoQuotaSSN}; when given it must be greater than zero."));
    }

    // Spec Tabella 9: "HH,MM (HH ore e MM minuti)". The XSD types it xs:decimal, so the minutes are the two decimals.
    private static void OreServizio(Prestazione p, List<RuleViolation> violations)
    {
        if (p.OreServizioMensile is not { } hours) return;
        var minutes = (hours - decimal.Truncate(hours)) * 100;
        if (hours < 0 || minutes != decimal.Truncate(minutes) || minutes >= 60)
            violations.Add(new(RuleCodes.OreServizioFormat, "OreServizioMensile",
                $"OreServizioMensile is {hours}; it is hours and minutes, HH,MM (e.g. 2.59), with minutes under 60."));
    }

    private static void PresaCarico(Prestazione p, List<RuleViolation> violations)
    {
        if (p.PresaCarico == "1" && string.IsNullOrEmpty(p.AreaUtenza))
            violations.Add(new(RuleCodes.AreaUtenzaRequired, "AreaUtenza", "A record with PresaCarico=1 needs AreaUtenza."));
    }

    private static void BenefitCodeRules(Prestazione p, RuleContext context, List<RuleViolation> violations)
    {
        var code = context.Codes.Find(p.CodicePrestazione);
        if (code is null)
        {
            violations.Add(new(RuleCodes.BenefitCodeUnknown, "CodicePrestazione", $"CodicePrestazione '{p.CodicePrestazione}' is not in the benefit-code table."));
            return;
        }
        if (p.DataRiferimento is { } date && !code.IsValidOn(date))
            violations.Add(new(RuleCodes.BenefitCodeNotValidOnDate, "CodicePrestazione", $"CodicePrestazione '{p.CodicePrestazione}' is not valid on {date:yyyy-MM-dd}."));
        if (code.RichiedePresaCarico && p.PresaCarico != "1")
            violations.Add(new(RuleCodes.PresaCaricoRequired, "PresaCarico", $"CodicePrestazione '{p.CodicePrestazione}' requires PresaCarico=1."));
        if (code.RichiedeDataEvento && p.DataEvento is null)
            violations.Add(new(RuleCodes.DataEventoRequired, "DataEvento", $"CodicePrestazione '{p.CodicePrestazione}' requires DataEvento (the actual payment date)."));
    }

    private static void DatesNotInFuture(Prestazione p, DateOnly receiptDate, List<RuleViolation> violations)
    {
        Span<(string Field, DateOnly? Value)> dates =
        [
            ("DataDSU", p.DataDSU), ("DataEvento", p.DataEvento),
            ("DataInizioPrestazione", p.DataInizioPrestazione), ("DataErogazionePrestazione", p.DataErogazionePrestazione),
        ];
        foreach (var (field, value) in dates)
        {
            if (value > receiptDate)
                violations.Add(new(RuleCodes.DateInFuture, field, $"{field} ({value:yyyy-MM-dd}) is later than the day of receipt."));
        }
    }
}
