namespace Siuss.Service.Rules;

/// <summary>What a rule rests on. Only <see cref="Policy"/> rules are the register's own reading: they warn by default.</summary>
public enum RuleBasis
{
    /// <summary>The INPS technical specification (shared/inps, v2.0.1): section or table and its words.</summary>
    Specification,
    /// <summary>An official INPS XSD.</summary>
    Xsd,
    /// <summary>The law (a decree, the fiscal-code algorithm).</summary>
    Law,
    /// <summary>The register's published contract (wsdl/): integrity, identity, limits and history, not the content of a record.</summary>
    Contract,
    /// <summary>The register's own reading, with its reason: a warning unless an operator raises it.</summary>
    Policy,
}

/// <summary>What a broken rule does to its record.</summary>
public enum RuleSeverity
{
    /// <summary>The record, and so the flow, is refused.</summary>
    Refuse,
    /// <summary>The record is accepted; the receipt lists the warning beside it and the compliance report counts it.</summary>
    Warn,
    /// <summary>The rule is not applied.</summary>
    Off,
}

/// <summary>
/// One entry of the rule catalogue: a stable error code, the field it concerns, what it means, and what it rests on
/// (<paramref name="Basis"/> and <paramref name="Source"/>: the quoted words of the spec, the XSD, the law, or the reason of a policy).
/// </summary>
public sealed record RuleDescription(string Code, string Field, string Meaning, string Example, RuleBasis Basis, string Source)
{
    /// <summary>
    /// True for the benefit-code rules: the law (DM 206/2014 Tab. 1) makes an unknown code wrong, but the register can only
    /// know a code is unknown once the operator has declared its table complete; until then they warn.
    /// </summary>
    public bool RefusesOnlyWithCompleteCodeTable => Code is RuleCodes.BenefitCodeUnknown or RuleCodes.SinbaBenefitCodeUnknown;

    /// <summary>Only policy rules may be raised, lowered or silenced by an operator; a sourced rule always refuses.</summary>
    public bool IsAdjustable => Basis == RuleBasis.Policy;

    /// <summary>The severity with no operator setting: policy warns, everything sourced refuses (the benefit-code rules: see <see cref="RefusesOnlyWithCompleteCodeTable"/>).</summary>
    public RuleSeverity DefaultSeverity(bool codeTableComplete) =>
        Basis == RuleBasis.Policy || (RefusesOnlyWithCompleteCodeTable && !codeTableComplete) ? RuleSeverity.Warn : RuleSeverity.Refuse;
}

/// <summary>
/// The stable error codes a receipt can carry, with their documentation. <c>docs/rules.md</c> is
/// generated from <see cref="Catalogue"/> and a test keeps the two in step.
/// </summary>
public static class RuleCodes
{
    // Flow level
    public const string FlowXmlMalformed = "FLOW_XML_MALFORMED";
    public const string FlowDtdProhibited = "FLOW_DTD_PROHIBITED";
    public const string FlowSchemaInvalid = "FLOW_SCHEMA_INVALID";
    public const string FlowDigestMismatch = "FLOW_DIGEST_MISMATCH";
    public const string FlowSizeMismatch = "FLOW_SIZE_MISMATCH";
    public const string FlowTooLarge = "FLOW_TOO_LARGE";
    public const string FlowTooManyRecords = "FLOW_TOO_MANY_RECORDS";
    public const string FlowNameMismatch = "FLOW_NAME_MISMATCH";
    public const string FlowNameFormat = "FLOW_NAME_FORMAT";
    public const string FlowNameAlreadyAcquired = "FLOW_NAME_ALREADY_ACQUIRED";
    public const string FlowEnteMismatch = "FLOW_ENTE_MISMATCH";
    public const string FlowSeatMismatch = "FLOW_SEAT_MISMATCH";
    public const string OperatorFiscalCodeInvalid = "OPERATOR_FISCAL_CODE_INVALID";

    // Beneficiary level
    public const string FiscalCodeInvalid = "FISCAL_CODE_INVALID";
    public const string AddressItalyCodesRequired = "ADDRESS_ITALY_CODES_REQUIRED";
    public const string NationCodeUnknown = "NATION_CODE_UNKNOWN";

    // Record level
    public const string DsuIncomplete = "DSU_INCOMPLETE";
    public const string DsuRequiredForPsa = "DSU_REQUIRED_FOR_PSA";
    public const string DsuProtocolFormat = "DSU_PROTOCOL_FORMAT";
    public const string DsuYearMismatch = "DSU_YEAR_MISMATCH";
    public const string CarattereRequired = "CARATTERE_REQUIRED";
    public const string PeriodicStartRequired = "PERIODIC_START_REQUIRED";
    public const string PeriodicMonthlyAmountRequired = "PERIODIC_MONTHLY_AMOUNT_REQUIRED";
    public const string PeriodicEndBeforeStart = "PERIODIC_END_BEFORE_START";
    public const string PeriodicEndOtherYear = "PERIODIC_END_OTHER_YEAR";
    public const string OneOffDateRequired = "ONE_OFF_DATE_REQUIRED";
    public const string OneOffAmountRequired = "ONE_OFF_AMOUNT_REQUIRED";
    public const string QuotasSumMismatch = "QUOTAS_SUM_MISMATCH";
    public const string QuotaOutOfRange = "QUOTA_OUT_OF_RANGE";
    public const string OreServizioFormat = "ORE_SERVIZIO_FORMAT";
    public const string AreaUtenzaRequired = "AREA_UTENZA_REQUIRED";
    public const string PresaCaricoRequired = "PRESA_CARICO_REQUIRED";
    public const string BenefitCodeUnknown = "BENEFIT_CODE_UNKNOWN";
    public const string BenefitCodeNotValidOnDate = "BENEFIT_CODE_NOT_VALID_ON_DATE";
    public const string DataEventoRequired = "DATA_EVENTO_REQUIRED";
    public const string DateInFuture = "DATE_IN_FUTURE";
    public const string RecordDuplicate = "RECORD_DUPLICATE";
    public const string RecordNotFound = "RECORD_NOT_FOUND";

    // SINBA record level (Rules/SinbaRules.cs)
    public const string SinbaIdIsFiscalCode = "SINBA_ID_IS_FISCAL_CODE";
    public const string SinbaIdMayBeFiscalCode = "SINBA_ID_MAY_BE_FISCAL_CODE";
    public const string SinbaIdBlank = "SINBA_ID_BLANK";
    public const string SinbaDataSegnalazioneRequired = "SINBA_DATA_SEGNALAZIONE_REQUIRED";
    public const string SinbaDataSegnalazioneNotAllowed = "SINBA_DATA_SEGNALAZIONE_NOT_ALLOWED";
    public const string SinbaDataSegnalazioneBeforeFirstReport = "SINBA_DATA_SEGNALAZIONE_BEFORE_FIRST_REPORT";
    public const string SinbaProvvedimentoDetailRequired = "SINBA_PROVVEDIMENTO_DETAIL_REQUIRED";
    public const string SinbaProvvedimentoDetailNotAllowed = "SINBA_PROVVEDIMENTO_DETAIL_NOT_ALLOWED";
    public const string SinbaJudicialFormWithoutMeasure = "SINBA_JUDICIAL_FORM_WITHOUT_MEASURE";
    public const string SinbaAffidoIncomplete = "SINBA_AFFIDO_INCOMPLETE";
    public const string SinbaAffidoRequired = "SINBA_AFFIDO_REQUIRED";
    public const string SinbaAffidoNotAllowed = "SINBA_AFFIDO_NOT_ALLOWED";
    public const string SinbaInserimentoIncomplete = "SINBA_INSERIMENTO_INCOMPLETE";
    public const string SinbaInserimentoRequired = "SINBA_INSERIMENTO_REQUIRED";
    public const string SinbaInserimentoNotAllowed = "SINBA_INSERIMENTO_NOT_ALLOWED";
    public const string SinbaTipoDisabilitaRequired = "SINBA_TIPO_DISABILITA_REQUIRED";
    public const string SinbaDisabilitaDetailNotAllowed = "SINBA_DISABILITA_DETAIL_NOT_ALLOWED";
    public const string SinbaChiusuraIncomplete = "SINBA_CHIUSURA_INCOMPLETE";
    public const string SinbaChiusuraSituationAfterDeath = "SINBA_CHIUSURA_SITUATION_AFTER_DEATH";
    public const string SinbaChiusuraOfAgeMismatch = "SINBA_CHIUSURA_OF_AGE_MISMATCH";
    public const string SinbaRegionRequiredForItaly = "SINBA_REGION_REQUIRED_FOR_ITALY";
    public const string SinbaRegionNotAllowedAbroad = "SINBA_REGION_NOT_ALLOWED_ABROAD";
    public const string SinbaDateAfterReceipt = "SINBA_DATE_AFTER_RECEIPT";
    public const string SinbaIseeMembersOutOfRange = "SINBA_ISEE_MEMBERS_OUT_OF_RANGE";
    public const string SinbaBenefitCodeUnknown = "SINBA_BENEFIT_CODE_UNKNOWN";
    public const string SinbaBenefitCodeRepeated = "SINBA_BENEFIT_CODE_REPEATED";

    // Register level
    public const string InternalError = "INTERNAL_ERROR";
    public const string ReceiptNotFound = "RECEIPT_NOT_FOUND";

    /// <summary>Every code with its field, meaning and an example of what triggers it.</summary>
    public static readonly IReadOnlyList<RuleDescription> Catalogue =
    [
        new(FlowXmlMalformed, "Flusso", "The flow file is not well-formed XML.", "A missing closing tag.",
            RuleBasis.Xsd, "Spec v2.0.1 §2.1: the flow is an \"oggetto XML codificato in accordo al formato PS_PSA2016_SINA.xsd\" (or SINBA.xsd); XML that is not well-formed is no such object."),
        new(FlowDtdProhibited, "Flusso", "The flow file carries a DTD or entity declarations, which are refused.", "<!DOCTYPE Flusso [...]>",
            RuleBasis.Contract, "Register contract (security): untrusted XML is parsed with DTDs prohibited and no resolver, against entity-expansion and external-entity attacks; the official XSDs need no DTD."),
        new(FlowSchemaInvalid, "Flusso", "The flow does not conform to the XSD of its type (message gives line and position).", "PeriodoErogazione=\"13\".",
            RuleBasis.Xsd, "Official XSDs PS_PSA_SINA201812.xsd and SINBA.xsd (shared/inps), published as wsdl/PS_PSA_SINA.xsd and wsdl/SINBA.xsd."),
        new(FlowDigestMismatch, "HashFlusso", "The SHA-256 of the flow bytes received differs from the one signed in the Trasmissione.", "A byte of the flow changed in transit.",
            RuleBasis.Contract, "Register contract (wsdl/siuss-documents.xsd, Trasmissione): the signed HashFlusso binds the flow to the body's signature."),
        new(FlowSizeMismatch, "DimensioneFlusso", "The size of the flow received differs from the one signed.", "A truncated upload.",
            RuleBasis.Contract, "Register contract (wsdl/siuss-documents.xsd, Trasmissione): the signed DimensioneFlusso."),
        new(FlowTooLarge, "Flusso", "The flow is larger than the configured limit.", "A 70 MB flow with the default 64 MiB limit.",
            RuleBasis.Contract, "Register contract: the configured Siuss:Limits:MaxFlowBytes protects the register; the WaaS channel itself caps a flow at 10,000,000 base64 characters (api-comuni.yaml)."),
        new(FlowTooManyRecords, "Flusso", "The flow has more benefit records than the configured limit.", "250,000 records with the default 200,000 limit.",
            RuleBasis.Contract, "Register contract: the configured Siuss:Limits:MaxRecordsPerFlow. The spec is stricter (§2.1 Nota: \"Ogni flusso ... può contenere un unico beneficiario ed includere un'unica prestazione\"); this register accepts batches."),
        new(FlowNameMismatch, "IdentificazioneFlusso/@Nome", "The flow's own name differs from NomeFlusso in the Trasmissione.", "Header H501.PS.20250520.0000001, flow H501.PS.20250520.0000002.",
            RuleBasis.Contract, "Register contract: the signed NomeFlusso names the flow it travels with."),
        new(FlowNameFormat, "IdentificazioneFlusso/@Nome", "The flow name is not {CodiceEnte}.{PS|PSA|SINA|SINBA}.{yyyyMMdd}.{progressive}, names another body, or is dated in the future.", "H501-PS-2025.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B Tabella 2 and Allegato C Tabella 13, Nome: \"Campo obbligatorio così strutturato: {Codice Ente}.{PS,PSA,SINA}.{data invio}.{progressivo giornaliero}\"; §3.2 id_flusso \"EEEEE.TIPO.AAAAMMGG.NNNNNNN\"."),
        new(FlowNameAlreadyAcquired, "NomeFlusso", "Another message already delivered a flow with this name and it was acquired.", "Re-sending H501.PS.20250520.0000001 under a new IdMessaggio.",
            RuleBasis.Contract, "Register contract: id_flusso identifies one flow (spec §3.2 \"Identificativo del flusso\"); a correction travels as a new flow."),
        new(FlowEnteMismatch, "Ente/@Codice", "The flow's Ente/@Codice differs from the CodiceEnte of the signed Trasmissione.", "Signed by H501, flow says F205.",
            RuleBasis.Contract, "Register contract: a flow speaks only for the body whose certificate signed its Trasmissione."),
        new(FlowSeatMismatch, "Ente/@Indirizzo", "The cadastral code of the body's seat differs from the one registered for the body.", "Registered H501, flow says F205.",
            RuleBasis.Contract, "Register contract: Ente/@Indirizzo (\"Codifica Belfiore/catastale\", spec Tabella 3) must be the seat registered for the signing body."),
        new(OperatorFiscalCodeInvalid, "Ente/@CFOperatore", "The operator's fiscal code fails its check character.", "RSSMRA85T10A562X.",
            RuleBasis.Law, "Law: the fiscal-code check character (DM Finanze 23/12/1976, DPR 605/1973); spec Tabella 3 gives CFOperatore its pattern and \"Campo obbligatorio\"."),
        new(FiscalCodeInvalid, "Beneficiario/@CodiceFiscale", "The beneficiary's fiscal code fails its check character (16 characters with omocodia, or 11 digits).", "RSSMRA85T10A562X.",
            RuleBasis.Law, "Law: the fiscal-code check character (DM Finanze 23/12/1976, DPR 605/1973; 11 digits: DPR 605/1973 art. 6); spec Tabella 5 gives CodiceFiscale its pattern."),
        new(AddressItalyCodesRequired, "Indirizzo", "An Italian address (CodiceNazione 380) needs CodiceRegione and CodiceComune.", "CodiceNazione=\"380\" without CodiceComune.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 7 (Indirizzo), CodiceRegione and CodiceComune: \"Campo opzionale che diviene obbligatorio se CodiceNazione = “380”\"."),
        new(NationCodeUnknown, "CodiceNazione", "A nation or citizenship code is not an ISO 3166-1 numeric code (Rules/CodeLists/iso3166-numeric.csv); a citizenship may also be 990, not available. Checked on CodiceCittadinanza, CodiceSecondaCittadinanza, Indirizzo/@CodiceNazione, and SINBA CodiceNazioneResidenza, CodiceCittadinanzaPadre, CodiceCittadinanzaMadre.", "CodiceCittadinanza=\"000\".",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B Tabella 6: CodiceCittadinanza \"Formato ISO3166 (990 - non disponibile)\", CodiceSecondaCittadinanza \"Formato ISO3166\"; Tabella 7: CodiceNazione \"Codifica ISO3166\"; Allegato C Tabella 15: CodiceNazioneResidenza \"Codifica ISO3166\", CodiceCittadinanzaPadre/Madre \"Formato ISO3166 (990 - non disponibile)\". The list: npm i18n-iso-countries (MIT)."),
        new(DsuIncomplete, "NumeroProtocolloDSU", "NumeroProtocolloDSU, AnnoProtocolloDSU and DataDSU go together: all three or none.", "AnnoProtocolloDSU without DataDSU.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), NumeroProtocolloDSU, AnnoProtocolloDSU, DataDSU: \"Campo opzionale. Se si compila un campo relativo alla DSU, vanno compilati tutti\"."),
        new(DsuRequiredForPsa, "NumeroProtocolloDSU", "A PSA record (PresenzaProvaMezzi=1) needs the DSU protocol, year and date.", "PresenzaProvaMezzi=\"1\" with no DSU.",
            RuleBasis.Policy, "Register policy: INPS practice expects the DSU of an ISEE-conditioned benefit; the spec marks each DSU field \"Campo opzionale\"."),
        new(DsuProtocolFormat, "NumeroProtocolloDSU", "The DSU protocol must look like INPS-ISEE-yyyy-nnnnnnnnX-nn.", "INPS-ISEE-2015-1480722D-00.",
            RuleBasis.Policy, "Register policy: the shape of the protocols INPS assigns (INPS-ISEE-yyyy-nnnnnnnnX-nn); the spec says only \"min 0 caratteri max 30 caratteri\"."),
        new(DsuYearMismatch, "AnnoProtocolloDSU", "The year inside the DSU protocol differs from AnnoProtocolloDSU.", "INPS-ISEE-2015-... with AnnoProtocolloDSU=2016.",
            RuleBasis.Policy, "Register policy: the year inside an INPS DSU protocol; the spec states no link between NumeroProtocolloDSU and AnnoProtocolloDSU."),
        new(CarattereRequired, "CaratterePrestazione", "CaratterePrestazione (1 periodic, 2 one-off) is required.", "A record without CaratterePrestazione.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), CaratterePrestazione: \"Campo obbligatorio\" (the XSD leaves it optional)."),
        new(PeriodicStartRequired, "DataInizioPrestazione", "A periodic benefit needs DataInizioPrestazione.", "CaratterePrestazione=\"1\" without a start date.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), DataInizioPrestazione: \"Campo obbligatorio se carattere prestazione = 1\"."),
        new(PeriodicMonthlyAmountRequired, "ImportoMensile", "A periodic benefit needs ImportoMensile greater than zero.", "ImportoMensile=\"0\".",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), ImportoMensile: \"Maggiore 0\", \"Campo obbligatorio se carattere prestazione = 1\"."),
        new(PeriodicEndBeforeStart, "DataFinePrestazione", "A periodic benefit cannot end before it starts.", "Start 2025-05-01, end 2025-04-30.",
            RuleBasis.Policy, "Register policy: a period cannot end before it starts; the spec asks of DataFinePrestazione only \"se compilato stesso anno DataInizioPrestazione\"."),
        new(PeriodicEndOtherYear, "DataFinePrestazione", "A periodic benefit is sent one record per calendar year: the end must be in the start's year.", "Start 2024-12-01, end 2025-01-31.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), DataFinePrestazione: \"Campo opzionale ma se compilato stesso anno DataInizioPrestazione\"."),
        new(OneOffDateRequired, "DataErogazionePrestazione", "A one-off benefit needs DataErogazionePrestazione.", "CaratterePrestazione=\"2\" without a payment date.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), DataErogazionePrestazione: \"Campo obbligatorio se carattere prestazione = 2\"."),
        new(OneOffAmountRequired, "ImportoPrestazione", "A one-off benefit needs ImportoPrestazione greater than zero.", "ImportoPrestazione=\"-5\".",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), ImportoPrestazione: \"Maggiore 0\", \"Campo obbligatorio se carattere prestazione = 2\"."),
        new(QuotasSumMismatch, "ImportoQuotaEnte", "When quotas are given, ImportoQuotaEnte + ImportoQuotaUtente + ImportoQuotaSSN must equal the monthly (periodic) or total (one-off) amount.", "300 + 100 for an amount of 500.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), ImportoQuotaEnte, ImportoQuotaUtente, ImportoQuotaSSN: \"Campo opzionale, ma se compilato la somma delle “quote” uguale a importo mensile/prestazione\"."),
        new(QuotaOutOfRange, "ImportoQuotaEnte", "ImportoQuotaEnte and ImportoQuotaSSN, when given, are greater than zero; ImportoQuotaUtente is zero or more (one error per quota).", "ImportoQuotaSSN=\"0.0\".",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), Formato: ImportoQuotaEnte \"Maggiore 0\", ImportoQuotaUtente \"Maggiore o uguale a 0\", ImportoQuotaSSN \"Maggiore 0\"."),
        new(OreServizioFormat, "OreServizioMensile", "OreServizioMensile is hours and minutes, HH,MM: not negative, at most two decimals, and the decimals (the minutes) under 60. Read as the decimal the XSD declares: 2.59 is 2 h 59 min, 2.6 is 2 h 60 min and wrong.", "OreServizioMensile=\"3.75\".",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), OreServizioMensile: Formato \"HH,MM (HH ore e MM minuti)\"."),
        new(AreaUtenzaRequired, "AreaUtenza", "A record with PresaCarico=1 (taken into care) needs AreaUtenza.", "PresaCarico=\"1\" without AreaUtenza.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato B, Tabella 9 (PrestazioniSociali), AreaUtenza: \"Campo obbligatorio se presa in carico uguale 1\"."),
        new(PresaCaricoRequired, "PresaCarico", "The benefit code requires PresaCarico=1 (codes A2.16 to A2.29, by the code table).", "A2.16 with PresaCarico=\"2\".",
            RuleBasis.Policy, "Register policy: INPS practice for codes A2.16-A2.29 (a flag of the code table); the spec marks PresaCarico \"Campo obbligatorio\" with both values allowed for every code."),
        new(BenefitCodeUnknown, "CodicePrestazione", "The benefit code is not in the benefit-code table.", "A9.99.",
            RuleBasis.Law, "Law: DM 206/2014 Tabella 1 and INPS updates. Refuses only once the operator has declared the code table complete (codes import --complete); until then a warning."),
        new(BenefitCodeNotValidOnDate, "CodicePrestazione", "The benefit code is not valid on the benefit's date.", "A1.05.01 (from 2022) for a 2021 benefit.",
            RuleBasis.Policy, "Register policy: the validity dates the register keeps for each code; neither the spec nor the XSD dates the codes."),
        new(DataEventoRequired, "DataEvento", "The benefit code requires DataEvento, the actual payment date (A1.05.01, by the code table).", "A1.05.01 without DataEvento.",
            RuleBasis.Policy, "Register policy: INPS practice for A1.05.01 (a flag of the code table); the spec marks DataEvento \"Campo opzionale\"."),
        new(DateInFuture, "Data*", "Dates cannot be later than the day of receipt, except a periodic benefit's end date.", "DataErogazionePrestazione next month.",
            RuleBasis.Policy, "Register policy: a benefit paid or applied for after the day of receipt is likely a typing error; the spec bounds no date."),
        new(RecordDuplicate, "PrestazioniSociali", "An insert of a record whose natural key (body, fiscal code, benefit code, application protocol, start/payment date) is already active.", "The same record sent twice.",
            RuleBasis.Contract, "Register contract: one active record per natural key; the spec has no update (\"I – Inserimento\", \"C - Cancellazione\", Tabella 9), so a second insert would count a benefit twice."),
        new(RecordNotFound, "PrestazioniSociali", "A cancellation that matches no active record by natural key (outcome DATI_NON_TROVATI).", "Cancelling a record never sent.",
            RuleBasis.Specification, "Spec v2.0.1 §3.3: \"DATI_NON_TROVATI, in caso di incoerenza dei dati relativi al flusso ricevuto\"; Tabella 9 TipoOperazione \"C - Cancellazione\"."),
        new(SinbaIdIsFiscalCode, "SINBA/@IDBeneficiario", "IDBeneficiario is, or contains, a personal fiscal code with a valid check character (16 characters, any case, omocodia included). SINBA data are anonymous (DM 206/2014 art. 5): send the body's own anonymous code. The value is never echoed. (An 11-digit code is SINBA_ID_MAY_BE_FISCAL_CODE, a warning.)", "IDBeneficiario=\"RSSMRA85T10A562S\" or \"RM-RSSMRA85T10A562S\".",
            RuleBasis.Law, "Law: DM 206/2014 art. 5, SINBA data carry no identifying reference; a 16-character fiscal code with a valid check character identifies a person."),
        new(SinbaIdMayBeFiscalCode, "SINBA/@IDBeneficiario", "IDBeneficiario is exactly 11 digits whose last digit is a valid check digit, as in a company's or a temporary fiscal code. One anonymous 11-digit code in ten matches by chance, so this only warns: prefer codes that are not 11 digits. The value is never echoed.", "IDBeneficiario=\"01234567897\".",
            RuleBasis.Policy, "Register policy: an 11-digit number with a valid check digit may be a fiscal code (DM 206/2014 art. 5 forbids identifying references), but one anonymous 11-digit code in ten has a valid check digit by chance."),
        new(SinbaIdBlank, "SINBA/@IDBeneficiario", "IDBeneficiario is only whitespace (the XSD accepts one space).", "IDBeneficiario=\" \".",
            RuleBasis.Policy, "Register policy: a blank code identifies no child across the body's flows; the spec asks only \"Min 1 carattere\", which a space meets."),
        new(SinbaDataSegnalazioneRequired, "SINBA/@DataSegnalazione", "SegnalazioneAutoritaGiudiziaria=1 (reported to the judicial authority) needs DataSegnalazione.", "SegnalazioneAutoritaGiudiziaria=\"1\" without DataSegnalazione.",
            RuleBasis.Policy, "Register policy: the register's reading of the SINBA code labels; Spec v2.0.1, Allegato C, Tabella 15 (SINBA) marks DataSegnalazione \"Campo opzionale\" with no condition."),
        new(SinbaDataSegnalazioneNotAllowed, "SINBA/@DataSegnalazione", "DataSegnalazione belongs only with SegnalazioneAutoritaGiudiziaria=1.", "SegnalazioneAutoritaGiudiziaria=\"2\" with DataSegnalazione=\"09/2023\".",
            RuleBasis.Policy, "Register policy: as SINBA_DATA_SEGNALAZIONE_REQUIRED; the spec states no dependency."),
        new(SinbaDataSegnalazioneBeforeFirstReport, "SINBA/@DataSegnalazione", "The report to the judicial authority cannot precede the first report to the social services (DataPrimaSegnalazione).", "DataPrimaSegnalazione=\"06/2023\", DataSegnalazione=\"05/2023\".",
            RuleBasis.Policy, "Register policy: the order of the two reports; the spec states no relation between the dates."),
        new(SinbaProvvedimentoDetailRequired, "SINBA/@DataProvvedimentoGiudiziario", "ProvvedimentoGiudiziario=1 (a judicial measure) needs DataProvvedimentoGiudiziario, AutoritaProvvedimento and TipoProvvedimentoGiudiziario (PotestaTutela stays optional: not every measure touches parental authority). One error per missing attribute.", "ProvvedimentoGiudiziario=\"1\" without AutoritaProvvedimento.",
            RuleBasis.Policy, "Register policy: Spec v2.0.1, Allegato C, Tabella 15 (SINBA) marks the measure's details \"Campo opzionale\" with no condition; INPS's own example flow (api-comuni.yaml) has a measure without TipoProvvedimentoGiudiziario."),
        new(SinbaProvvedimentoDetailNotAllowed, "SINBA/@DataProvvedimentoGiudiziario", "DataProvvedimentoGiudiziario, AutoritaProvvedimento, PotestaTutela and TipoProvvedimentoGiudiziario belong only with ProvvedimentoGiudiziario=1.", "ProvvedimentoGiudiziario=\"2\" with PotestaTutela=\"1\".",
            RuleBasis.Policy, "Register policy: the spec marks the measure's details \"Campo opzionale\" with no condition."),
        new(SinbaJudicialFormWithoutMeasure, "SINBA/@FormaInterventoAffido", "A judicial foster care or residential placement (FormaInterventoAffido=2 or FormaInserimentoResidenziale=2) needs ProvvedimentoGiudiziario=1.", "FormaInterventoAffido=\"2\" with ProvvedimentoGiudiziario=\"2\".",
            RuleBasis.Policy, "Register policy: the register's reading of \"2 – Giudiziario\"; the spec states no dependency on ProvvedimentoGiudiziario."),
        new(SinbaAffidoIncomplete, "SINBA/@FormaInterventoAffido", "A foster care is described by FormaInterventoAffido, TipoInterventoAffido, DurataAffido and CarattereAffido together; EsitoAffido (its outcome) needs them too.", "EsitoAffido=\"1\" alone.",
            RuleBasis.Policy, "Register policy: the spec marks every foster-care attribute \"Campo opzionale\" with no condition."),
        new(SinbaAffidoRequired, "SINBA/@FormaInterventoAffido", "A child living with a foster family (LuogoVita=3) or under a court order of family foster care (TipoProvvedimentoGiudiziario=4) needs the foster-care attributes.", "LuogoVita=\"3\" without FormaInterventoAffido.",
            RuleBasis.Policy, "Register policy: the spec states no dependency between LuogoVita and the foster-care attributes."),
        new(SinbaAffidoNotAllowed, "SINBA/@LuogoVita", "An ongoing, full-time, residential foster care (no EsitoAffido, DurataAffido=1, CarattereAffido=1) means the child lives with relatives or a foster family: LuogoVita must be 2 or 3.", "LuogoVita=\"1\" with an ongoing full-time residential foster care.",
            RuleBasis.Policy, "Register policy: the spec states no dependency between the foster care and LuogoVita."),
        new(SinbaInserimentoIncomplete, "SINBA/@CarattereInserimentoResidenziale", "A residential placement is described by CarattereInserimentoResidenziale, FormaInserimentoResidenziale and TipoInserimentoResidenziale together; EsitoInserimentoStruttura (its outcome) needs them too.", "FormaInserimentoResidenziale=\"1\" alone.",
            RuleBasis.Policy, "Register policy: the spec marks every residential-placement attribute \"Campo opzionale\" with no condition."),
        new(SinbaInserimentoRequired, "SINBA/@CarattereInserimentoResidenziale", "A child living in a social residential structure (LuogoVita=4) needs the residential-placement attributes.", "LuogoVita=\"4\" without CarattereInserimentoResidenziale.",
            RuleBasis.Policy, "Register policy: the spec states no dependency between LuogoVita and the placement attributes."),
        new(SinbaInserimentoNotAllowed, "SINBA/@LuogoVita", "An ongoing residential placement (no EsitoInserimentoStruttura) means the child lives in a residential structure: LuogoVita must be 4 (social) or 5 (health).", "LuogoVita=\"1\" with a placement that has no outcome.",
            RuleBasis.Policy, "Register policy: the spec states no dependency between the placement and LuogoVita."),
        new(SinbaTipoDisabilitaRequired, "SINBA/@TipoDisabilita", "Disabilita=1 needs TipoDisabilita (InvCivCertificazioni stays optional: a disability may be uncertified).", "Disabilita=\"1\" without TipoDisabilita.",
            RuleBasis.Policy, "Register policy: Spec v2.0.1, Allegato C, Tabella 15 (SINBA) marks TipoDisabilita \"Campo opzionale\" with no condition."),
        new(SinbaDisabilitaDetailNotAllowed, "SINBA/@TipoDisabilita", "TipoDisabilita and InvCivCertificazioni belong only with Disabilita=1.", "Disabilita=\"2\" with InvCivCertificazioni=\"5\".",
            RuleBasis.Policy, "Register policy: the spec marks TipoDisabilita and InvCivCertificazioni \"Campo opzionale\" with no condition."),
        new(SinbaChiusuraIncomplete, "SINBA/@SituazioneChiusuraCarico", "A closed case needs both MotivazioneChiusuraCarico and SituazioneChiusuraCarico (except a closing for death, which has no situation).", "MotivazioneChiusuraCarico=\"4\" without SituazioneChiusuraCarico.",
            RuleBasis.Policy, "Register policy: the spec marks MotivazioneChiusuraCarico and SituazioneChiusuraCarico \"Campo opzionale\" with no condition."),
        new(SinbaChiusuraSituationAfterDeath, "SINBA/@SituazioneChiusuraCarico", "A case closed for death (MotivazioneChiusuraCarico=8) has no SituazioneChiusuraCarico.", "MotivazioneChiusuraCarico=\"8\" with SituazioneChiusuraCarico=\"1\".",
            RuleBasis.Policy, "Register policy: the register's reading of \"8 – decesso\"; the spec states no dependency."),
        new(SinbaChiusuraOfAgeMismatch, "SINBA/@MotivazioneChiusuraCarico", "SituazioneChiusuraCarico 3 or 4 (stays with the foster family or in the structure although of age) goes with MotivazioneChiusuraCarico=3 (came of age).", "SituazioneChiusuraCarico=\"3\" with MotivazioneChiusuraCarico=\"5\".",
            RuleBasis.Policy, "Register policy: the register's reading of \"anche se maggiorenne\"; the spec states no dependency."),
        new(SinbaRegionRequiredForItaly, "SINBA/@CodiceRegioneResidenza", "Residence in Italy (CodiceNazioneResidenza 380) needs CodiceRegioneResidenza.", "CodiceNazioneResidenza=\"380\" without CodiceRegioneResidenza.",
            RuleBasis.Specification, "Spec v2.0.1, Allegato C, Tabella 15 (SINBA), CodiceRegioneResidenza: \"Campo opzionale che diviene obbligatorio se CodiceNazione = “380”\"."),
        new(SinbaRegionNotAllowedAbroad, "SINBA/@CodiceRegioneResidenza", "CodiceRegioneResidenza is an Italian (ISTAT) region: it belongs only with CodiceNazioneResidenza 380.", "CodiceNazioneResidenza=\"788\" with CodiceRegioneResidenza=\"19\".",
            RuleBasis.Policy, "Register policy: a DM 1986 region describes an Italian residence; the spec only leaves the region optional abroad."),
        new(SinbaDateAfterReceipt, "SINBA/@DataPrimaSegnalazione", "DataPrimaSegnalazione, DataSegnalazione and DataProvvedimentoGiudiziario (MM/YYYY) cannot be after the month of receipt, nor AnnoNascita after its year.", "DataPrimaSegnalazione=\"12/2099\".",
            RuleBasis.Policy, "Register policy: a report or birth after the month of receipt is likely a typing error; the spec bounds no date."),
        new(SinbaIseeMembersOutOfRange, "SINBA/@NumeroComponentiISEE", "NumeroComponentiISEE, when given, is 1 to 9 (the XSD only caps it at 9).", "NumeroComponentiISEE=\"0\".",
            RuleBasis.Specification, "Spec v2.0.1, Allegato C, Tabella 15 (SINBA), NumeroComponentiISEE: \"Min 1 Max 9\" (the XSD only caps it at 9)."),
        new(SinbaBenefitCodeUnknown, "SINBA/Prestazioni/CodicePrestazione", "A benefit code of the record is not in the benefit-code table (one error per unknown code).", "<CodicePrestazione>A9.99</CodicePrestazione>.",
            RuleBasis.Law, "Law: DM 206/2014 Tabella 1 and INPS updates. Refuses only once the operator has declared the code table complete (codes import --complete); until then a warning."),
        new(SinbaBenefitCodeRepeated, "SINBA/Prestazioni/CodicePrestazione", "The same benefit code appears twice in one record's Prestazioni.", "A2.02 listed twice.",
            RuleBasis.Policy, "Register policy: a code listed twice adds nothing; the spec says only \"Possono essere inseriti più codici prestazioni\"."),
        new(InternalError, "-", "The register failed while storing the flow (outcome ERRORE_GENERICO); nothing was stored and the same Trasmissione may be sent again.", "The database was unreachable.",
            RuleBasis.Contract, "Spec v2.0.1 §3.3: \"ERRORE_GENERICO, in caso di altro tipo di errore nell’elaborazione della richiesta\"."),
        new(ReceiptNotFound, "IdAcquisizione", "GetReceipt found no receipt of the asking body matching the request (outcome DATI_NON_TROVATI).", "An acquisition id of another body.",
            RuleBasis.Contract, "Register contract: GetReceipt returns a body its own receipts only (outcome DATI_NON_TROVATI)."),
    ];
}
