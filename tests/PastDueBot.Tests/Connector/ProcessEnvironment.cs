namespace PastDueBot.Tests.Connector;

/// <summary>
/// Tests that set process-wide environment variables (MSAL reads the managed identity endpoint from IDENTITY_ENDPOINT
/// and IDENTITY_HEADER on every token request and offers no public hook to pass them): xunit runs this collection
/// on its own, after the parallel ones, so no other test, and no bot process a test starts, sees the variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>Sets environment variables for its lifetime and restores the previous values on dispose.</summary>
public sealed class ProcessEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    public ProcessEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous) Environment.SetEnvironmentVariable(name, value);
    }
}
