namespace Siuss.Service.Rules;

/// <summary>One entry of the rule catalogue: a stable error code, the field it concerns and what it means.</summary>
public sealed record RuleDescription(string Code, string Field, string Meaning, string Example);

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
    public const string FlowTypeUnsupported = "FLOW_TYPE_UNSUPPORTED";
    public const string FlowNameMismatch = "FLOW_NAME_MISMATCH";
    public const string FlowNameFormat = "FLOW_NAME_FORMAT";
    public const string FlowNameAlreadyAcquired = "FLOW_NAME_ALREADY_ACQUIRED";
    public const string FlowEnteMismatch = "FLOW_ENTE_MISMATCH";
    public const string FlowSeatMismatch = "FLOW_SEAT_MISMATCH";
    public const string OperatorFiscalCodeInvalid = "OPERATOR_FISCAL_CODE_INVALID";

    // Beneficiary level
    public const string FiscalCodeInvalid = "FISCAL_CODE_INVALID";
    public const string AddressItalyCodesRequired = "ADDRESS_ITALY_CODES_REQUIRED";

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
    public const string AreaUtenzaRequired = "AREA_UTENZA_REQUIRED";
    public const string PresaCaricoRequired = "PRESA_CARICO_REQUIRED";
    public const string BenefitCodeUnknown = "BENEFIT_CODE_UNKNOWN";
    public const string BenefitCodeNotValidOnDate = "BENEFIT_CODE_NOT_VALID_ON_DATE";
    public const string DataEventoRequired = "DATA_EVENTO_REQUIRED";
    public const string DateInFuture = "DATE_IN_FUTURE";
    public const string RecordDuplicate = "RECORD_DUPLICATE";
    public const string RecordNotFound = "RECORD_NOT_FOUND";

    // Register level
    public const string InternalError = "INTERNAL_ERROR";
    public const string ReceiptNotFound = "RECEIPT_NOT_FOUND";

    /// <summary>Every code with its field, meaning and an example of what triggers it.</summary>
    public static readonly IReadOnlyList<RuleDescription> Catalogue =
    [
        new(FlowXmlMalformed, "Flusso", "The flow file is not well-formed XML.", "A missing closing tag."),
        new(FlowDtdProhibited, "Flusso", "The flow file carries a DTD or entity declarations, which are refused.", "<!DOCTYPE Flusso [...]>"),
        new(FlowSchemaInvalid, "Flusso", "The flow does not conform to the XSD of its type (message gives line and position).", "PeriodoErogazione=\"13\"."),
        new(FlowDigestMismatch, "HashFlusso", "The SHA-256 of the flow bytes received differs from the one signed in the Trasmissione.", "A byte of the flow changed in transit."),
        new(FlowSizeMismatch, "DimensioneFlusso", "The size of the flow received differs from the one signed.", "A truncated upload."),
        new(FlowTooLarge, "Flusso", "The flow is larger than the configured limit.", "A 70 MB flow with the default 64 MiB limit."),
        new(FlowTooManyRecords, "Flusso", "The flow has more benefit records than the configured limit.", "250,000 records with the default 200,000 limit."),
        new(FlowTypeUnsupported, "TipoFlusso", "The flow type is not one the register accepts yet.", "TipoFlusso=SIP."),
        new(FlowNameMismatch, "IdentificazioneFlusso/@Nome", "The flow's own name differs from NomeFlusso in the Trasmissione.", "Header H501.PS.20250520.0000001, flow H501.PS.20250520.0000002."),
        new(FlowNameFormat, "IdentificazioneFlusso/@Nome", "The flow name is not {CodiceEnte}.{PS|PSA|SINA|SINBA}.{yyyyMMdd}.{progressive}, names another body, or is dated in the future.", "H501-PS-2025."),
        new(FlowNameAlreadyAcquired, "NomeFlusso", "Another message already delivered a flow with this name and it was acquired.", "Re-sending H501.PS.20250520.0000001 under a new IdMessaggio."),
        new(FlowEnteMismatch, "Ente/@Codice", "The flow's Ente/@Codice differs from the CodiceEnte of the signed Trasmissione.", "Signed by H501, flow says F205."),
        new(FlowSeatMismatch, "Ente/@Indirizzo", "The cadastral code of the body's seat differs from the one registered for the body.", "Registered H501, flow says F205."),
        new(OperatorFiscalCodeInvalid, "Ente/@CFOperatore", "The operator's fiscal code fails its check character.", "RSSMRA85T10A562X."),
        new(FiscalCodeInvalid, "Beneficiario/@CodiceFiscale", "The beneficiary's fiscal code fails its check character (16 characters with omocodia, or 11 digits).", "RSSMRA85T10A562X."),
        new(AddressItalyCodesRequired, "Indirizzo", "An Italian address (CodiceNazione 380) needs CodiceRegione and CodiceComune.", "CodiceNazione=\"380\" without CodiceComune."),
        new(DsuIncomplete, "NumeroProtocolloDSU", "NumeroProtocolloDSU, AnnoProtocolloDSU and DataDSU go together: all three or none.", "AnnoProtocolloDSU without DataDSU."),
        new(DsuRequiredForPsa, "NumeroProtocolloDSU", "A PSA record (PresenzaProvaMezzi=1) needs the DSU protocol, year and date.", "PresenzaProvaMezzi=\"1\" with no DSU."),
        new(DsuProtocolFormat, "NumeroProtocolloDSU", "The DSU protocol must look like INPS-ISEE-yyyy-nnnnnnnnX-nn.", "INPS-ISEE-2015-1480722D-00."),
        new(DsuYearMismatch, "AnnoProtocolloDSU", "The year inside the DSU protocol differs from AnnoProtocolloDSU.", "INPS-ISEE-2015-... with AnnoProtocolloDSU=2016."),
        new(CarattereRequired, "CaratterePrestazione", "CaratterePrestazione (1 periodic, 2 one-off) is required.", "A record without CaratterePrestazione."),
        new(PeriodicStartRequired, "DataInizioPrestazione", "A periodic benefit needs DataInizioPrestazione.", "CaratterePrestazione=\"1\" without a start date."),
        new(PeriodicMonthlyAmountRequired, "ImportoMensile", "A periodic benefit needs ImportoMensile greater than zero.", "ImportoMensile=\"0\"."),
        new(PeriodicEndBeforeStart, "DataFinePrestazione", "A periodic benefit cannot end before it starts.", "Start 2025-05-01, end 2025-04-30."),
        new(PeriodicEndOtherYear, "DataFinePrestazione", "A periodic benefit is sent one record per calendar year: the end must be in the start's year.", "Start 2024-12-01, end 2025-01-31."),
        new(OneOffDateRequired, "DataErogazionePrestazione", "A one-off benefit needs DataErogazionePrestazione.", "CaratterePrestazione=\"2\" without a payment date."),
        new(OneOffAmountRequired, "ImportoPrestazione", "A one-off benefit needs ImportoPrestazione greater than zero.", "ImportoPrestazione=\"-5\"."),
        new(QuotasSumMismatch, "ImportoQuotaEnte", "When quotas are given, ImportoQuotaEnte + ImportoQuotaUtente + ImportoQuotaSSN must equal the monthly (periodic) or total (one-off) amount.", "300 + 100 for an amount of 500."),
        new(AreaUtenzaRequired, "AreaUtenza", "A record with PresaCarico=1 (taken into care) needs AreaUtenza.", "PresaCarico=\"1\" without AreaUtenza."),
        new(PresaCaricoRequired, "PresaCarico", "The benefit code requires PresaCarico=1 (codes A2.16 to A2.29, by the code table).", "A2.16 with PresaCarico=\"2\"."),
        new(BenefitCodeUnknown, "CodicePrestazione", "The benefit code is not in the benefit-code table.", "A9.99."),
        new(BenefitCodeNotValidOnDate, "CodicePrestazione", "The benefit code is not valid on the benefit's date.", "A1.05.01 (from 2022) for a 2021 benefit."),
        new(DataEventoRequired, "DataEvento", "The benefit code requires DataEvento, the actual payment date (A1.05.01, by the code table).", "A1.05.01 without DataEvento."),
        new(DateInFuture, "Data*", "Dates cannot be later than the day of receipt, except a periodic benefit's end date.", "DataErogazionePrestazione next month."),
        new(RecordDuplicate, "PrestazioniSociali", "An insert of a record whose natural key (body, fiscal code, benefit code, application protocol, start/payment date) is already active.", "The same record sent twice."),
        new(RecordNotFound, "PrestazioniSociali", "A cancellation that matches no active record by natural key (outcome DATI_NON_TROVATI).", "Cancelling a record never sent."),
        new(InternalError, "-", "The register failed while storing the flow (outcome ERRORE_GENERICO); nothing was stored and the same Trasmissione may be sent again.", "The database was unreachable."),
        new(ReceiptNotFound, "IdAcquisizione", "GetReceipt found no receipt of the asking body matching the request (outcome DATI_NON_TROVATI).", "An acquisition id of another body."),
    ];
}
