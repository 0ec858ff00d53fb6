namespace Siuss.Service.Flows;

/// <summary>The <c>IdentificazioneFlusso</c> part of a flow: its name and the sending body.</summary>
public sealed record FlowIdentification(string Nome, string CodiceEnte, string? Denominazione, string IndirizzoEnte, string CFOperatore);

/// <summary>One <c>Beneficiario</c> of a PS_PSA_SINA flow with its addresses and benefits.</summary>
public sealed class Beneficiario
{
    public string CodiceFiscale { get; set; } = "";
    public string Cognome { get; set; } = "";
    public string Nome { get; set; } = "";
    public string AnnoNascita { get; set; } = "";
    public string LuogoNascita { get; set; } = "";
    public string Genere { get; set; } = "";
    public string CodiceCittadinanza { get; set; } = "";
    public string? CodiceSecondaCittadinanza { get; set; }
    // Sized for the usual beneficiary (one address, one benefit): an empty list's first Add would make room for four.
    public List<Indirizzo> Indirizzi { get; } = new(capacity: 1);
    public List<Prestazione> Prestazioni { get; } = new(capacity: 1);
}

/// <summary>One address of a beneficiary (ISTAT codes).</summary>
public sealed record Indirizzo(string? CodiceRegione, string? CodiceComune, string CodiceNazione);

/// <summary>One <c>PrestazioniSociali</c> record: a benefit paid, or the cancellation of one.</summary>
public sealed class Prestazione
{
    /// <summary>1-based position of the record in the whole flow.</summary>
    public int Progressivo { get; set; }
    /// <summary><c>I</c> (insert, the default) or <c>C</c> (cancel).</summary>
    public string TipoOperazione { get; set; } = "I";
    public string PresenzaProvaMezzi { get; set; } = "";
    public string? CaratterePrestazione { get; set; }
    public string? NumeroProtocolloDSU { get; set; }
    public string? AnnoProtocolloDSU { get; set; }
    public DateOnly? DataDSU { get; set; }
    public string CodicePrestazione { get; set; } = "";
    public string DenominazionePrestazione { get; set; } = "";
    public string ProtocolloDomanda { get; set; } = "";
    public DateOnly? DataEvento { get; set; }
    public DateOnly? DataInizioPrestazione { get; set; }
    public DateOnly? DataFinePrestazione { get; set; }
    public DateOnly? DataErogazionePrestazione { get; set; }
    public decimal? ImportoPrestazione { get; set; }
    public int? PeriodoErogazione { get; set; }
    public decimal? ImportoMensile { get; set; }
    public decimal? ImportoQuotaEnte { get; set; }
    public decimal? ImportoQuotaUtente { get; set; }
    public decimal? ImportoQuotaSSN { get; set; }
    public decimal? ImportoQuotaRichiesta { get; set; }
    public decimal? ImportoSogliaISEE { get; set; }
    public decimal? OreServizioMensile { get; set; }
    public string PresaCarico { get; set; } = "";
    public string? AreaUtenza { get; set; }
    public Sina? Sina { get; set; }

    /// <summary>True for a periodic benefit (<c>CaratterePrestazione=1</c>).</summary>
    public bool IsPeriodic => CaratterePrestazione == "1";

    /// <summary>
    /// The date that identifies the benefit in its natural key and dates it against the code table:
    /// the start for periodic benefits, the payment for one-off ones.
    /// </summary>
    public DateOnly? DataRiferimento => IsPeriodic ? DataInizioPrestazione : DataErogazionePrestazione ?? DataInizioPrestazione;
}

/// <summary>A SINA multidimensional assessment attached to a benefit.</summary>
public sealed class Sina
{
    public string Mobilita { get; set; } = "";
    public string AttivitaVitaQuotidiana { get; set; } = "";
    public string? DisturbiAreaCognitiva { get; set; }
    public string DisturbiComportamentali { get; set; } = "";
    public string? NecessitaCureSanitarie { get; set; }
    public string AreaReddituale { get; set; } = "";
    public string AreaSupporto { get; set; } = "";
    public string FonteDerivazioneValutazione { get; set; } = "";
    public string StrumentoValutazione { get; set; } = "";
    public string? FonteDerivazioneInvalidita { get; set; }
    public List<string> NecessitaInterventiSociali { get; set; } = [];
    public List<string> InvaliditaCivile { get; set; } = [];
}
