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

    // SINBA record level (Rules/SinbaRules.cs)
    public const string SinbaIdIsFiscalCode = "SINBA_ID_IS_FISCAL_CODE";
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
        new(FlowXmlMalformed, "Flusso", "The flow file is not well-formed XML.", "A missing closing tag."),
        new(FlowDtdProhibited, "Flusso", "The flow file carries a DTD or entity declarations, which are refused.", "<!DOCTYPE Flusso [...]>"),
        new(FlowSchemaInvalid, "Flusso", "The flow does not conform to the XSD of its type (message gives line and position).", "PeriodoErogazione=\"13\"."),
        new(FlowDigestMismatch, "HashFlusso", "The SHA-256 of the flow bytes received differs from the one signed in the Trasmissione.", "A byte of the flow changed in transit."),
        new(FlowSizeMismatch, "DimensioneFlusso", "The size of the flow received differs from the one signed.", "A truncated upload."),
        new(FlowTooLarge, "Flusso", "The flow is larger than the configured limit.", "A 70 MB flow with the default 64 MiB limit."),
        new(FlowTooManyRecords, "Flusso", "The flow has more benefit records than the configured limit.", "250,000 records with the default 200,000 limit."),
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
        new(SinbaIdIsFiscalCode, "SINBA/@IDBeneficiario", "IDBeneficiario is, or contains, a fiscal code with a valid check character (16 characters, any case, omocodia included; or exactly 11 digits). SINBA data are anonymous (DM 206/2014 art. 5): send the body's own anonymous code. The value is never echoed. An anonymous code of exactly 11 digits is refused when its last digit happens to be a valid check digit (1 in 10 such codes): avoid 11-digit codes.", "IDBeneficiario=\"RSSMRA85T10A562S\" or \"RM-RSSMRA85T10A562S\"."),
        new(SinbaIdBlank, "SINBA/@IDBeneficiario", "IDBeneficiario is only whitespace (the XSD accepts one space).", "IDBeneficiario=\" \"."),
        new(SinbaDataSegnalazioneRequired, "SINBA/@DataSegnalazione", "SegnalazioneAutoritaGiudiziaria=1 (reported to the judicial authority) needs DataSegnalazione.", "SegnalazioneAutoritaGiudiziaria=\"1\" without DataSegnalazione."),
        new(SinbaDataSegnalazioneNotAllowed, "SINBA/@DataSegnalazione", "DataSegnalazione belongs only with SegnalazioneAutoritaGiudiziaria=1.", "SegnalazioneAutoritaGiudiziaria=\"2\" with DataSegnalazione=\"09/2023\"."),
        new(SinbaDataSegnalazioneBeforeFirstReport, "SINBA/@DataSegnalazione", "The report to the judicial authority cannot precede the first report to the social services (DataPrimaSegnalazione).", "DataPrimaSegnalazione=\"06/2023\", DataSegnalazione=\"05/2023\"."),
        new(SinbaProvvedimentoDetailRequired, "SINBA/@DataProvvedimentoGiudiziario", "ProvvedimentoGiudiziario=1 (a judicial measure) needs DataProvvedimentoGiudiziario, AutoritaProvvedimento and TipoProvvedimentoGiudiziario (PotestaTutela stays optional: not every measure touches parental authority). One error per missing attribute.", "ProvvedimentoGiudiziario=\"1\" without AutoritaProvvedimento."),
        new(SinbaProvvedimentoDetailNotAllowed, "SINBA/@DataProvvedimentoGiudiziario", "DataProvvedimentoGiudiziario, AutoritaProvvedimento, PotestaTutela and TipoProvvedimentoGiudiziario belong only with ProvvedimentoGiudiziario=1.", "ProvvedimentoGiudiziario=\"2\" with PotestaTutela=\"1\"."),
        new(SinbaJudicialFormWithoutMeasure, "SINBA/@FormaInterventoAffido", "A judicial foster care or residential placement (FormaInterventoAffido=2 or FormaInserimentoResidenziale=2) needs ProvvedimentoGiudiziario=1.", "FormaInterventoAffido=\"2\" with ProvvedimentoGiudiziario=\"2\"."),
        new(SinbaAffidoIncomplete, "SINBA/@FormaInterventoAffido", "A foster care is described by FormaInterventoAffido, TipoInterventoAffido, DurataAffido and CarattereAffido together; EsitoAffido (its outcome) needs them too.", "EsitoAffido=\"1\" alone."),
        new(SinbaAffidoRequired, "SINBA/@FormaInterventoAffido", "A child living with a foster family (LuogoVita=3) or under a court order of family foster care (TipoProvvedimentoGiudiziario=4) needs the foster-care attributes.", "LuogoVita=\"3\" without FormaInterventoAffido."),
        new(SinbaAffidoNotAllowed, "SINBA/@LuogoVita", "An ongoing, full-time, residential foster care (no EsitoAffido, DurataAffido=1, CarattereAffido=1) means the child lives with relatives or a foster family: LuogoVita must be 2 or 3.", "LuogoVita=\"1\" with an ongoing full-time residential foster care."),
        new(SinbaInserimentoIncomplete, "SINBA/@CarattereInserimentoResidenziale", "A residential placement is described by CarattereInserimentoResidenziale, FormaInserimentoResidenziale and TipoInserimentoResidenziale together; EsitoInserimentoStruttura (its outcome) needs them too.", "FormaInserimentoResidenziale=\"1\" alone."),
        new(SinbaInserimentoRequired, "SINBA/@CarattereInserimentoResidenziale", "A child living in a social residential structure (LuogoVita=4) needs the residential-placement attributes.", "LuogoVita=\"4\" without CarattereInserimentoResidenziale."),
        new(SinbaInserimentoNotAllowed, "SINBA/@LuogoVita", "An ongoing residential placement (no EsitoInserimentoStruttura) means the child lives in a residential structure: LuogoVita must be 4 (social) or 5 (health).", "LuogoVita=\"1\" with a placement that has no outcome."),
        new(SinbaTipoDisabilitaRequired, "SINBA/@TipoDisabilita", "Disabilita=1 needs TipoDisabilita (InvCivCertificazioni stays optional: a disability may be uncertified).", "Disabilita=\"1\" without TipoDisabilita."),
        new(SinbaDisabilitaDetailNotAllowed, "SINBA/@TipoDisabilita", "TipoDisabilita and InvCivCertificazioni belong only with Disabilita=1.", "Disabilita=\"2\" with InvCivCertificazioni=\"5\"."),
        new(SinbaChiusuraIncomplete, "SINBA/@SituazioneChiusuraCarico", "A closed case needs both MotivazioneChiusuraCarico and SituazioneChiusuraCarico (except a closing for death, which has no situation).", "MotivazioneChiusuraCarico=\"4\" without SituazioneChiusuraCarico."),
        new(SinbaChiusuraSituationAfterDeath, "SINBA/@SituazioneChiusuraCarico", "A case closed for death (MotivazioneChiusuraCarico=8) has no SituazioneChiusuraCarico.", "MotivazioneChiusuraCarico=\"8\" with SituazioneChiusuraCarico=\"1\"."),
        new(SinbaChiusuraOfAgeMismatch, "SINBA/@MotivazioneChiusuraCarico", "SituazioneChiusuraCarico 3 or 4 (stays with the foster family or in the structure although of age) goes with MotivazioneChiusuraCarico=3 (came of age).", "SituazioneChiusuraCarico=\"3\" with MotivazioneChiusuraCarico=\"5\"."),
        new(SinbaRegionRequiredForItaly, "SINBA/@CodiceRegioneResidenza", "Residence in Italy (CodiceNazioneResidenza 380) needs CodiceRegioneResidenza.", "CodiceNazioneResidenza=\"380\" without CodiceRegioneResidenza."),
        new(SinbaRegionNotAllowedAbroad, "SINBA/@CodiceRegioneResidenza", "CodiceRegioneResidenza is an Italian (ISTAT) region: it belongs only with CodiceNazioneResidenza 380.", "CodiceNazioneResidenza=\"788\" with CodiceRegioneResidenza=\"19\"."),
        new(SinbaDateAfterReceipt, "SINBA/@DataPrimaSegnalazione", "DataPrimaSegnalazione, DataSegnalazione and DataProvvedimentoGiudiziario (MM/YYYY) cannot be after the month of receipt, nor AnnoNascita after its year.", "DataPrimaSegnalazione=\"12/2099\"."),
        new(SinbaIseeMembersOutOfRange, "SINBA/@NumeroComponentiISEE", "NumeroComponentiISEE, when given, is 1 to 9 (the XSD only caps it at 9).", "NumeroComponentiISEE=\"0\"."),
        new(SinbaBenefitCodeUnknown, "SINBA/Prestazioni/CodicePrestazione", "A benefit code of the record is not in the benefit-code table (one error per unknown code).", "<CodicePrestazione>A9.99</CodicePrestazione>."),
        new(SinbaBenefitCodeRepeated, "SINBA/Prestazioni/CodicePrestazione", "The same benefit code appears twice in one record's Prestazioni.", "A2.02 listed twice."),
        new(InternalError, "-", "The register failed while storing the flow (outcome ERRORE_GENERICO); nothing was stored and the same Trasmissione may be sent again.", "The database was unreachable."),
        new(ReceiptNotFound, "IdAcquisizione", "GetReceipt found no receipt of the asking body matching the request (outcome DATI_NON_TROVATI).", "An acquisition id of another body."),
    ];
}
