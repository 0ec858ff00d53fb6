using Siuss.Contracts;
using Siuss.Service.Options;

namespace Siuss.Service.Submission;

/// <summary>Keeps <c>DataOra</c> of new messages close to the register's clock.</summary>
public static class FreshnessPolicy
{
    /// <summary>Throws <see cref="RegisterFaultException"/> (MessageStale) when <paramref name="dataOraUtc"/> is outside [now - maxAge, now + skew].</summary>
    public static void Check(DateTime dataOraUtc, DateTime nowUtc, TimeSpan maxAge, FreshnessOptions options)
    {
        if (dataOraUtc > nowUtc + options.MaxClockSkew)
            throw new RegisterFaultException(FaultCodes.MessageStale, "DataOra is in the future beyond the accepted clock skew.");
        if (dataOraUtc < nowUtc - maxAge)
            throw new RegisterFaultException(FaultCodes.MessageStale, $"DataOra is older than the accepted window ({maxAge}).");
    }
}
