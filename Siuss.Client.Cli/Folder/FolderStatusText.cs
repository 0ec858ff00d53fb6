using Siuss.Client.Submission;
using Siuss.Contracts;

namespace Siuss.Client.Cli.Folder;

/// <summary>The words the folder display and summary use for outcomes, stable for scripts and tests.</summary>
public static class FolderStatusText
{
    /// <summary>The status column: sent, already acknowledged, recovered from register, refused, refused earlier, failed (kind).</summary>
    public static string Status(FileOutcome outcome) => outcome.Status switch
    {
        FileStatus.Sent => "sent",
        FileStatus.AlreadyAcknowledged => "already acknowledged",
        FileStatus.Recovered => "recovered from register",
        FileStatus.Refused => "refused",
        FileStatus.RefusedEarlier => "refused earlier",
        _ => outcome.Failure switch
        {
            FailureKind.UnusableFile => "failed (unusable file)",
            FailureKind.Fault => "failed (SOAP fault)",
            FailureKind.Unreachable => "failed (unreachable)",
            FailureKind.NotVerifiable => "failed (receipt not verifiable)",
            _ => "failed",
        },
    };

    /// <summary>One line for a finished file: status, outcome, acquisition id or error codes or the failure message.</summary>
    public static string Detail(FileOutcome outcome)
    {
        if (outcome.Ricevuta is { } r)
        {
            var detail = $"{r.Esito}, IdAcquisizione {Dash(r.IdAcquisizione)}";
            var codes = ErrorCodes(outcome);
            return codes.Length > 0 ? $"{detail}, errors {codes}" : detail;
        }
        return outcome.Message ?? "";
    }

    /// <summary>The distinct error codes of a refusal (codes only: messages may quote the data).</summary>
    public static string ErrorCodes(FileOutcome outcome)
    {
        if (outcome.Ricevuta is not { } r || r.Esito == Esiti.Ok) return "";
        return string.Join(" ", r.ErroriFlusso.Select(e => e.Codice)
            .Concat(r.EsitiRecord.SelectMany(x => x.Errori).Select(e => e.Codice)).Distinct());
    }

    /// <summary>"-" for an empty value.</summary>
    public static string Dash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
