using System.Globalization;
using Siuss.Service.Flows;

namespace Siuss.Service.Rules;

/// <summary>
/// The rules of a SINBA record beyond the XSD, one small pure function each. Every rule runs, so
/// the receipt lists every problem at once. Messages never quote <c>IDBeneficiario</c>.
/// </summary>
/// <remarks>
/// The official SINBA.xsd only labels its codes and the spec marks those attributes "Campo opzionale";
/// neither states a dependency between attributes. The dependencies below are read from those labels
/// (a yes/no question and the attributes that describe the "yes"; where the child lives and the foster
/// care or placement that puts them there; how a case was closed), so they are register policy and warn
/// by default: see the catalogue in <see cref="RuleCodes"/> for each one's basis.
/// </remarks>
public static class SinbaRules
{
    private const string Yes = "1";
    private const string No = "2";
    private const string Italy = "380";

    // LuogoVita
    private const string WithRelatives = "2";
    private const string WithFosterFamily = "3";
    private const string SocialResidentialStructure = "4";
    private const string HealthResidentialStructure = "5";

    // TipoProvvedimentoGiudiziario 4: affidamento familiare
    private const string FamilyFosterCareOrder = "4";
    // FormaInterventoAffido / FormaInserimentoResidenziale 2: giudiziario
    private const string Judicial = "2";
    // DurataAffido 1 tempo pieno, CarattereAffido 1 residenziale
    private const string FullTime = "1";
    private const string Residential = "1";
    // MotivazioneChiusuraCarico
    private const string CameOfAge = "3";
    private const string Death = "8";

    /// <summary>Checks one SINBA record against every rule.</summary>
    public static List<RuleViolation> Check(SinbaRecord r, RuleContext context)
    {
        var violations = new List<RuleViolation>();
        Anonymity(r, violations);
        JudicialReport(r, violations);
        JudicialMeasure(r, violations);
        JudicialFormNeedsMeasure(r, violations);
        FosterCare(r, violations);
        ResidentialPlacement(r, violations);
        Disability(r, violations);
        CaseClosing(r, violations);
        Residence(r, violations);
        OfficialCodeLists.CheckNation(r.CodiceNazioneResidenza, "CodiceNazioneResidenza", citizenship: false, violations);
        OfficialCodeLists.CheckNation(r.CodiceCittadinanzaPadre, "CodiceCittadinanzaPadre", citizenship: true, violations);
        OfficialCodeLists.CheckNation(r.CodiceCittadinanzaMadre, "CodiceCittadinanzaMadre", citizenship: true, violations);
        DatesNotAfterReceipt(r, context.ReceiptDate, violations);
        IseeMembers(r, violations);
        BenefitCodes(r, context.Codes, violations);
        return violations;
    }

    /// <summary>
    /// True when <paramref name="id"/> is a fiscal code with a valid check character (16 characters,
    /// any case, omocodia; or 11 digits, optionally padded), or contains a valid 16-character one - read as
    /// <see cref="LookAlikes.LettersAndDigits"/> reads it, so fullwidth forms, Cyrillic or Greek look-alikes and
    /// separators do not hide one.
    /// An 11-digit code is only looked for as the whole value: inside longer numeric codes it
    /// would match by chance too often.
    /// </summary>
    public static bool ContainsFiscalCode(string id)
    {
        // Seen through compatibility forms, look-alike letters and separators (LookAlikes).
        var upper = LookAlikes.LettersAndDigits(id);
        if (FiscalCode.IsValid(id) || FiscalCode.IsValid(upper)) return true;
        for (var i = 0; i + 16 <= upper.Length; i++)
        {
            if (char.IsAsciiLetter(upper[i]) && FiscalCode.IsValid(upper.Substring(i, 16))) return true;
        }
        return false;
    }

    // (d) SINBA data are anonymous: the paying body's own code, never a fiscal code.
    private static void Anonymity(SinbaRecord r, List<RuleViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(r.IdBeneficiario))
        {
            if (r.IdBeneficiario.Length > 0)
                violations.Add(new(RuleCodes.SinbaIdBlank, "IDBeneficiario", "IDBeneficiario is only whitespace; send the body's anonymous code for the child."));
            return;
        }
        if (!ContainsFiscalCode(r.IdBeneficiario)) return;
        // A 16-character code identifies a person (DM 206/2014 art. 5); an 11-digit one passes its check digit by chance
        // one time in ten, so it is a policy warning, not a refusal.
        var trimmed = r.IdBeneficiario.TrimEnd();
        if (trimmed.Length == 11 && trimmed.All(char.IsAsciiDigit))
            violations.Add(new(RuleCodes.SinbaIdMayBeFiscalCode, "IDBeneficiario",
                "IDBeneficiario is 11 digits with a valid check digit, like a fiscal code; SINBA data are anonymous: prefer a code that is not 11 digits (the value is not repeated here)."));
        else
            violations.Add(new(RuleCodes.SinbaIdIsFiscalCode, "IDBeneficiario",
                "IDBeneficiario is or contains a fiscal code; SINBA data are anonymous: send the body's own anonymous code (the value is not repeated here)."));
    }

    // (a) DataSegnalazione exactly when SegnalazioneAutoritaGiudiziaria says yes; (c) not before the first report.
    private static void JudicialReport(SinbaRecord r, List<RuleViolation> violations)
    {
        if (r.SegnalazioneAutoritaGiudiziaria == Yes && r.DataSegnalazione is null)
            violations.Add(new(RuleCodes.SinbaDataSegnalazioneRequired, "DataSegnalazione", "SegnalazioneAutoritaGiudiziaria=1 needs DataSegnalazione (MM/YYYY)."));
        if (r.SegnalazioneAutoritaGiudiziaria == No && r.DataSegnalazione is not null)
            violations.Add(new(RuleCodes.SinbaDataSegnalazioneNotAllowed, "DataSegnalazione", "DataSegnalazione is given but SegnalazioneAutoritaGiudiziaria is 2 (no)."));
        if (r is { DataSegnalazione: { } report, DataPrimaSegnalazione: { } first } && report < first)
            violations.Add(new(RuleCodes.SinbaDataSegnalazioneBeforeFirstReport, "DataSegnalazione",
                $"DataSegnalazione ({report}) is before DataPrimaSegnalazione ({first})."));
    }

    // (a) The details of a judicial measure exactly when ProvvedimentoGiudiziario says yes.
    private static void JudicialMeasure(SinbaRecord r, List<RuleViolation> violations)
    {
        if (r.ProvvedimentoGiudiziario == Yes)
        {
            if (r.DataProvvedimentoGiudiziario is null) Required("DataProvvedimentoGiudiziario");
            if (r.AutoritaProvvedimento is null) Required("AutoritaProvvedimento");
            if (r.TipoProvvedimentoGiudiziario is null) Required("TipoProvvedimentoGiudiziario");
        }
        else if (r.ProvvedimentoGiudiziario == No)
        {
            if (r.DataProvvedimentoGiudiziario is not null) NotAllowed("DataProvvedimentoGiudiziario");
            if (r.AutoritaProvvedimento is not null) NotAllowed("AutoritaProvvedimento");
            if (r.PotestaTutela is not null) NotAllowed("PotestaTutela");
            if (r.TipoProvvedimentoGiudiziario is not null) NotAllowed("TipoProvvedimentoGiudiziario");
        }

        void Required(string field) =>
            violations.Add(new(RuleCodes.SinbaProvvedimentoDetailRequired, field, $"ProvvedimentoGiudiziario=1 needs {field}."));
        void NotAllowed(string field) =>
            violations.Add(new(RuleCodes.SinbaProvvedimentoDetailNotAllowed, field, $"{field} is given but ProvvedimentoGiudiziario is 2 (no)."));
    }

    // (a) A foster care or placement "ordered by a court" needs a judicial measure.
    private static void JudicialFormNeedsMeasure(SinbaRecord r, List<RuleViolation> violations)
    {
        if (r.ProvvedimentoGiudiziario == Yes) return;
        if (r.FormaInterventoAffido == Judicial)
            violations.Add(new(RuleCodes.SinbaJudicialFormWithoutMeasure, "FormaInterventoAffido", "FormaInterventoAffido=2 (judicial) needs ProvvedimentoGiudiziario=1."));
        if (r.FormaInserimentoResidenziale == Judicial)
            violations.Add(new(RuleCodes.SinbaJudicialFormWithoutMeasure, "FormaInserimentoResidenziale", "FormaInserimentoResidenziale=2 (judicial) needs ProvvedimentoGiudiziario=1."));
    }

    // (a) Foster care: described whole; required where the child lives with a foster family or a
    // court ordered it; and, while full-time, residential and not ended, only where the child
    // lives with relatives or a foster family.
    private static void FosterCare(SinbaRecord r, List<RuleViolation> violations)
    {
        (string Field, string? Value)[] core =
        [
            ("FormaInterventoAffido", r.FormaInterventoAffido), ("TipoInterventoAffido", r.TipoInterventoAffido),
            ("DurataAffido", r.DurataAffido), ("CarattereAffido", r.CarattereAffido),
        ];
        var described = core.Any(a => a.Value is not null) || r.EsitoAffido is not null;
        if (!described)
        {
            if (r.LuogoVita == WithFosterFamily)
                violations.Add(new(RuleCodes.SinbaAffidoRequired, "FormaInterventoAffido", "LuogoVita=3 (with a foster family) needs the foster-care attributes."));
            else if (r.TipoProvvedimentoGiudiziario == FamilyFosterCareOrder)
                violations.Add(new(RuleCodes.SinbaAffidoRequired, "FormaInterventoAffido", "TipoProvvedimentoGiudiziario=4 (family foster care) needs the foster-care attributes."));
            return;
        }
        foreach (var (field, _) in core.Where(a => a.Value is null))
            violations.Add(new(RuleCodes.SinbaAffidoIncomplete, field, $"A foster care is described by FormaInterventoAffido, TipoInterventoAffido, DurataAffido and CarattereAffido together: {field} is missing."));
        var ongoingFullResidential = r is { EsitoAffido: null, DurataAffido: FullTime, CarattereAffido: Residential };
        if (ongoingFullResidential && r.LuogoVita is not (WithRelatives or WithFosterFamily))
            violations.Add(new(RuleCodes.SinbaAffidoNotAllowed, "LuogoVita",
                $"An ongoing full-time residential foster care (no EsitoAffido) needs LuogoVita 2 or 3, not {r.LuogoVita}."));
    }

    // (a) Residential placement: described whole; required where the child lives in a social
    // residential structure; and, while not ended, only where the child lives in a structure.
    private static void ResidentialPlacement(SinbaRecord r, List<RuleViolation> violations)
    {
        (string Field, string? Value)[] core =
        [
            ("CarattereInserimentoResidenziale", r.CarattereInserimentoResidenziale),
            ("FormaInserimentoResidenziale", r.FormaInserimentoResidenziale),
            ("TipoInserimentoResidenziale", r.TipoInserimentoResidenziale),
        ];
        var described = core.Any(a => a.Value is not null) || r.EsitoInserimentoStruttura is not null;
        if (!described)
        {
            if (r.LuogoVita == SocialResidentialStructure)
                violations.Add(new(RuleCodes.SinbaInserimentoRequired, "CarattereInserimentoResidenziale", "LuogoVita=4 (social residential structure) needs the residential-placement attributes."));
            return;
        }
        foreach (var (field, _) in core.Where(a => a.Value is null))
            violations.Add(new(RuleCodes.SinbaInserimentoIncomplete, field, $"A residential placement is described by CarattereInserimentoResidenziale, FormaInserimentoResidenziale and TipoInserimentoResidenziale together: {field} is missing."));
        if (r.EsitoInserimentoStruttura is null && r.LuogoVita is not (SocialResidentialStructure or HealthResidentialStructure))
            violations.Add(new(RuleCodes.SinbaInserimentoNotAllowed, "LuogoVita",
                $"An ongoing residential placement (no EsitoInserimentoStruttura) needs LuogoVita 4 or 5, not {r.LuogoVita}."));
    }

    // (a) TipoDisabilita required, and both disability details allowed, only with Disabilita=1.
    private static void Disability(SinbaRecord r, List<RuleViolation> violations)
    {
        if (r.Disabilita == Yes && r.TipoDisabilita is null)
            violations.Add(new(RuleCodes.SinbaTipoDisabilitaRequired, "TipoDisabilita", "Disabilita=1 needs TipoDisabilita."));
        if (r.Disabilita == No)
        {
            if (r.TipoDisabilita is not null)
                violations.Add(new(RuleCodes.SinbaDisabilitaDetailNotAllowed, "TipoDisabilita", "TipoDisabilita is given but Disabilita is 2 (no)."));
            if (r.InvCivCertificazioni is not null)
                violations.Add(new(RuleCodes.SinbaDisabilitaDetailNotAllowed, "InvCivCertificazioni", "InvCivCertificazioni is given but Disabilita is 2 (no)."));
        }
    }

    // (a) Closing the case: reason and situation together, no situation after death, "although of age" only when the reason is coming of age.
    private static void CaseClosing(SinbaRecord r, List<RuleViolation> violations)
    {
        var reason = r.MotivazioneChiusuraCarico;
        var situation = r.SituazioneChiusuraCarico;
        if (reason is null && situation is not null)
            violations.Add(new(RuleCodes.SinbaChiusuraIncomplete, "MotivazioneChiusuraCarico", "SituazioneChiusuraCarico is given without MotivazioneChiusuraCarico."));
        else if (reason is not null and not Death && situation is null)
            violations.Add(new(RuleCodes.SinbaChiusuraIncomplete, "SituazioneChiusuraCarico", "MotivazioneChiusuraCarico is given without SituazioneChiusuraCarico."));
        if (reason == Death && situation is not null)
            violations.Add(new(RuleCodes.SinbaChiusuraSituationAfterDeath, "SituazioneChiusuraCarico", "A case closed for death (MotivazioneChiusuraCarico=8) has no SituazioneChiusuraCarico."));
        if (situation is "3" or "4" && reason is not null && reason != CameOfAge)
            violations.Add(new(RuleCodes.SinbaChiusuraOfAgeMismatch, "MotivazioneChiusuraCarico",
                $"SituazioneChiusuraCarico={situation} (stays although of age) needs MotivazioneChiusuraCarico=3 (came of age), not {reason}."));
    }

    // (b) The region exactly when the residence is in Italy.
    private static void Residence(SinbaRecord r, List<RuleViolation> violations)
    {
        var hasRegion = !string.IsNullOrEmpty(r.CodiceRegioneResidenza);
        if (r.CodiceNazioneResidenza == Italy && !hasRegion)
            violations.Add(new(RuleCodes.SinbaRegionRequiredForItaly, "CodiceRegioneResidenza", "Residence in Italy (CodiceNazioneResidenza 380) needs CodiceRegioneResidenza."));
        if (r.CodiceNazioneResidenza != Italy && hasRegion)
            violations.Add(new(RuleCodes.SinbaRegionNotAllowedAbroad, "CodiceRegioneResidenza",
                $"CodiceRegioneResidenza is an Italian region but CodiceNazioneResidenza is {r.CodiceNazioneResidenza}."));
    }

    // (c) MM/YYYY dates not after the month of receipt; the birth year not after its year.
    private static void DatesNotAfterReceipt(SinbaRecord r, DateOnly receiptDate, List<RuleViolation> violations)
    {
        var receiptMonth = MeseAnno.Of(receiptDate);
        Span<(string Field, MeseAnno? Value)> dates =
        [
            ("DataPrimaSegnalazione", r.DataPrimaSegnalazione), ("DataSegnalazione", r.DataSegnalazione),
            ("DataProvvedimentoGiudiziario", r.DataProvvedimentoGiudiziario),
        ];
        foreach (var (field, value) in dates)
        {
            if (value > receiptMonth)
                violations.Add(new(RuleCodes.SinbaDateAfterReceipt, field, $"{field} ({value}) is after the month of receipt ({receiptMonth})."));
        }
        if (int.TryParse(r.AnnoNascita, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year > receiptDate.Year)
            violations.Add(new(RuleCodes.SinbaDateAfterReceipt, "AnnoNascita", $"AnnoNascita ({year}) is after the year of receipt."));
    }

    // The XSD caps NumeroComponentiISEE at 9 only; a household has at least the child.
    private static void IseeMembers(SinbaRecord r, List<RuleViolation> violations)
    {
        if (r.NumeroComponentiISEE is < 1)
            violations.Add(new(RuleCodes.SinbaIseeMembersOutOfRange, "NumeroComponentiISEE", $"NumeroComponentiISEE is {r.NumeroComponentiISEE}; it must be 1 to 9."));
    }

    // (e) Every code of Prestazioni is in the benefit-code table, once.
    private static void BenefitCodes(SinbaRecord r, BenefitCodeTable codes, List<RuleViolation> violations)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in r.CodiciPrestazione)
        {
            if (!seen.Add(code))
            {
                violations.Add(new(RuleCodes.SinbaBenefitCodeRepeated, "Prestazioni/CodicePrestazione", $"CodicePrestazione '{code}' is listed more than once."));
                continue;
            }
            if (codes.Find(code) is null)
                violations.Add(new(RuleCodes.SinbaBenefitCodeUnknown, "Prestazioni/CodicePrestazione", $"CodicePrestazione '{code}' is not in the benefit-code table."));
        }
    }
}
