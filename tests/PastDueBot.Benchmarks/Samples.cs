namespace PastDueBot.Benchmarks;

/// <summary>Wire samples copied next to the benchmarks (Samples/*.json).</summary>
internal static class Samples
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));
}
