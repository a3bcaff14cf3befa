using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Benchmarks;

/// <summary>Reading the request body into an Activity, as ActivityRequestReader does for every POST.</summary>
[MemoryDiagnoser]
public class ActivityParseBenchmarks
{
    private byte[] _message = [];
    private byte[] _submit = [];

    [GlobalSetup]
    public void Setup()
    {
        _message = Samples.Bytes("teams-message.json");
        _submit = Samples.Bytes("teams-submit.json");
    }

    [Benchmark(Description = "parse Teams message")]
    public Activity? Message() => JsonSerializer.Deserialize(_message, ProtocolJson.Context.Activity);

    [Benchmark(Description = "parse Action.Submit with value")]
    public Activity? Submit() => JsonSerializer.Deserialize(_submit, ProtocolJson.Context.Activity);
}
