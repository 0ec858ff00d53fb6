namespace Siuss.Client.Submission;

/// <summary>
/// What the journal knows about one flow file: the content it signed for (SHA-256) and the signed Trasmissione,
/// persisted before it is sent, so that after a crash the client knows which <c>IdMessaggio</c> to ask the register about.
/// </summary>
public sealed record JournalEntry
{
    /// <summary>The flow file's name in the folder.</summary>
    public required string File { get; init; }
    /// <summary>SHA-256 (lowercase hex) of the file content the Trasmissione was signed for.</summary>
    public required string Sha256 { get; init; }
    /// <summary>The flow name signed in the Trasmissione.</summary>
    public required string NomeFlusso { get; init; }
    /// <summary>The flow type signed in the Trasmissione.</summary>
    public required string TipoFlusso { get; init; }
    /// <summary>The Trasmissione's IdMessaggio: the key the register answers a resend or a GetReceipt with.</summary>
    public required string IdMessaggio { get; init; }
    /// <summary>When the Trasmissione was signed (its DataOra), UTC.</summary>
    public required DateTime SignedAtUtc { get; init; }
    /// <summary>The exact signed Trasmissione bytes (base64 in the file), resent unchanged so the register recognises a repeat.</summary>
    public required byte[] Trasmissione { get; init; }
    /// <summary>Earlier IdMessaggio values of this file (content changed, or a Trasmissione too old to send), kept for audit.</summary>
    public IReadOnlyList<string> Superseded { get; init; } = [];
}
