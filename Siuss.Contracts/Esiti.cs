namespace Siuss.Contracts;

/// <summary>The outcome codes ("esiti") a receipt carries, as in the real register.</summary>
public static class Esiti
{
    /// <summary>The flow was acquired.</summary>
    public const string Ok = "OK";
    /// <summary>The flow does not conform to the schema or the business rules.</summary>
    public const string RichiestaInvalida = "RICHIESTA_INVALIDA";
    /// <summary>The data are inconsistent with the register (e.g. cancelling an unknown record).</summary>
    public const string DatiNonTrovati = "DATI_NON_TROVATI";
    /// <summary>Anything else; the sender may retry.</summary>
    public const string ErroreGenerico = "ERRORE_GENERICO";
}
