namespace PastDueBot.Domain.Directory;

/// <summary>The directory could not answer (throttled past the retry budget, outage, misconfiguration): try again later.</summary>
public sealed class DirectoryUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
