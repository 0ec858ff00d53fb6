namespace Siuss.Client.Cli;

/// <summary>A problem with the options or input files the user gave; exits with <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
