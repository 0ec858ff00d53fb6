using System.Globalization;

namespace Siuss.Service.Flows;

/// <summary>
/// A month of a year, the precision of every SINBA date (<c>MM/YYYY</c> on the wire, e.g. <c>03/2024</c>).
/// Ordered chronologically.
/// </summary>
public readonly record struct MeseAnno : IComparable<MeseAnno>
{
    /// <summary>A month; <paramref name="month"/> is 1 to 12.</summary>
    public MeseAnno(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        Year = year;
        Month = month;
    }

    /// <summary>The year (four digits on the wire).</summary>
    public int Year { get; }

    /// <summary>The month, 1 to 12.</summary>
    public int Month { get; }

    /// <summary>The month a day falls in.</summary>
    public static MeseAnno Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>
    /// Parses exactly <c>MM/YYYY</c> (two ASCII digits, a slash, four ASCII digits, month 01-12).
    /// The XSD further limits the year to 1900-2099; this parser does not.
    /// </summary>
    public static bool TryParse(string? value, out MeseAnno result)
    {
        result = default;
        if (value is not { Length: 7 } || value[2] != '/') return false;
        for (var i = 0; i < 7; i++)
        {
            if (i != 2 && !char.IsAsciiDigit(value[i])) return false;
        }
        var month = (value[0] - '0') * 10 + (value[1] - '0');
        var year = int.Parse(value.AsSpan(3, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || year < 1) return false;
        result = new MeseAnno(year, month);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(MeseAnno other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(MeseAnno left, MeseAnno right) => left.CompareTo(right) < 0;
    public static bool operator >(MeseAnno left, MeseAnno right) => left.CompareTo(right) > 0;
    public static bool operator <=(MeseAnno left, MeseAnno right) => left.CompareTo(right) <= 0;
    public static bool operator >=(MeseAnno left, MeseAnno right) => left.CompareTo(right) >= 0;

    /// <summary>The wire form, <c>MM/YYYY</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Month:00}/{Year:0000}");
}

/// <summary>
/// One <c>SINBA</c> record of a SINBA flow: an anonymous child or adolescent taken into care,
/// the services given, the family, and the answers of the assessment. Code-list answers are kept
/// as sent (their meanings are in <c>wsdl/SINBA.xsd</c>); optional attributes are null when absent.
/// </summary>
/// <remarks>
/// There is no fiscal code, name, birth date or address: <see cref="IdBeneficiario"/> is an
/// anonymous code of the paying body (DM 206/2014, art. 5). It is kept exactly as sent, never
/// interpreted, and must never be used to look a person up.
/// </remarks>
public sealed class SinbaRecord
{
    /// <summary>1-based position of the record in the whole flow.</summary>
    public int Progressivo { get; set; }

    /// <summary>The anonymous code chosen by the paying body, exactly as sent (not trimmed, not normalised).</summary>
    public string IdBeneficiario { get; set; } = "";

    // The child
    public string MinoreStranieroNoAcc { get; set; } = "";
    public string CondizioneMinore { get; set; } = "";
    public string LuogoVita { get; set; } = "";
    public string ScuolaFrequentata { get; set; } = "";
    public string CondizioneLavoro { get; set; } = "";
    public string Disabilita { get; set; } = "";
    public string? TipoDisabilita { get; set; }
    public string? InvCivCertificazioni { get; set; }

    // The parents
    public string? CodiceCittadinanzaPadre { get; set; }
    public string? CodiceCittadinanzaMadre { get; set; }
    public string? CodiceRegioneResidenzaPadre { get; set; }
    public string? CodiceRegioneResidenzaMadre { get; set; }
    public string? TitoloStudioPadre { get; set; }
    public string? TitoloStudioMadre { get; set; }
    public string? OccupazionePadre { get; set; }
    public string? OccupazioneMadre { get; set; }

    // Report and assessment
    /// <summary>Month of the first report to the social services; null only when the value is not <c>MM/YYYY</c> (a schema error).</summary>
    public MeseAnno? DataPrimaSegnalazione { get; set; }
    public string FonteSegnalazione { get; set; } = "";
    public string ValutazioneMinore { get; set; } = "";
    public string ValutazioneFamigliaMinore { get; set; } = "";

    // Judicial authority
    public string SegnalazioneAutoritaGiudiziaria { get; set; } = "";
    public MeseAnno? DataSegnalazione { get; set; }
    public string ProvvedimentoGiudiziario { get; set; } = "";
    public MeseAnno? DataProvvedimentoGiudiziario { get; set; }
    public string? AutoritaProvvedimento { get; set; }
    public string? PotestaTutela { get; set; }
    public string? TipoProvvedimentoGiudiziario { get; set; }

    // Foster care
    public string? FormaInterventoAffido { get; set; }
    public string? TipoInterventoAffido { get; set; }
    public string? DurataAffido { get; set; }
    public string? CarattereAffido { get; set; }
    public string? EsitoAffido { get; set; }

    // Residential placement
    public string? CarattereInserimentoResidenziale { get; set; }
    public string? FormaInserimentoResidenziale { get; set; }
    public string? TipoInserimentoResidenziale { get; set; }
    public string? EsitoInserimentoStruttura { get; set; }

    // Closing of the case
    public string? MotivazioneChiusuraCarico { get; set; }
    public string? SituazioneChiusuraCarico { get; set; }
    public string? CollaborazioniInterventi { get; set; }

    // Household and residence
    /// <summary>Members of the ISEE household, as the xs:int sent (the schema allows 0 and negatives).</summary>
    public int? NumeroComponentiISEE { get; set; }
    public string FasciaEtaBeneficiario { get; set; } = "";
    public string? FasciaISEEBeneficiario { get; set; }
    public string AnnoNascita { get; set; } = "";
    public string? CodiceRegioneResidenza { get; set; }
    public string CodiceNazioneResidenza { get; set; } = "";

    /// <summary><c>Prestazioni/CodicePrestazione</c>, in document order, trimmed.</summary>
    public List<string> CodiciPrestazione { get; } = [];

    /// <summary><c>Famiglia/ComposizioneFamiglia</c>, in document order (a role may repeat).</summary>
    public List<string> ComposizioneFamiglia { get; } = [];
}
