using System.Reflection;
using System.Text.Json;
using PastDueBot.Alerts;
using PastDueBot.Conversation.Settle;
using PastDueBot.Host.Directory;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Connector;
using PastDueBot.Storage;
using PastDueBot.Storage.Billing;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Docs;

/// <summary>
/// appsettings.sample.json, the README's configuration table and the settings the code reads cannot drift apart:
/// every key the code binds is in the sample, every key of the sample is in the README table.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    /// <summary>Every options class and the configuration path it is bound from ("" = the root).</summary>
    private static readonly (Type Options, string Prefix)[] BoundOptions =
    [
        (typeof(BotFrameworkOptions), ""),
        (typeof(ConnectorOptions), ConnectorOptions.SectionName),
        (typeof(DemoBillingOptions), DemoBillingOptions.Section),
        (typeof(DirectoryOptions), DirectoryOptions.Section),
        (typeof(GraphOptions), GraphOptions.Section),
        (typeof(SettleOptions), SettleOptions.SectionName),
        (typeof(AlertsOptions), AlertsOptions.SectionName),
    ];

    /// <summary>Keys read one by one rather than bound to a class.</summary>
    private static readonly string[] ReadKeys =
    [
        "Urls",
        StorageServiceCollectionExtensions.ProviderKey,
        StorageServiceCollectionExtensions.SqlitePathKey,
        StorageServiceCollectionExtensions.PostgresLockTimeoutKey,
        StorageServiceCollectionExtensions.PostgresLockConnectionsKey,
        PastDueBot.Host.Hosting.TelemetrySetup.ExporterKey,
    ];

    [Fact]
    public void Every_key_the_code_reads_is_in_the_sample()
    {
        var sample = SampleKeys();
        var missing = CodeKeys().Where(key => !sample.Contains(key)).ToList();
        Assert.True(missing.Count == 0, $"appsettings.sample.json lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_key_of_the_sample_is_documented_in_the_README_table()
    {
        var readme = File.ReadAllText(RepoPaths.Combine("README.md"));
        var missing = SampleKeys().Where(key => !readme.Contains($"| `{key}` |", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"README.md's configuration table lacks: {string.Join(", ", missing)}");
    }

    /// <summary>A new options class (one with a section constant) must be added above, and so to the sample.</summary>
    [Fact]
    public void Every_options_class_with_a_section_is_checked()
    {
        var known = BoundOptions.Select(b => b.Options).ToHashSet();
        var assemblies = new[] { typeof(BotFrameworkOptions), typeof(DemoBillingOptions), typeof(GraphOptions), typeof(SettleOptions), typeof(AlertsOptions) }
            .Select(type => type.Assembly)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("PastDueBot.", StringComparison.Ordinal) == true && a.GetName().Name != "PastDueBot.Tests"))
            .Distinct();
        var withSection = assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.IsClass && type.Name.EndsWith("Options", StringComparison.Ordinal)
                && type.GetFields(BindingFlags.Public | BindingFlags.Static).Any(f => f.IsLiteral && f.Name is "Section" or "SectionName"))
            .ToList();
        Assert.NotEmpty(withSection);
        Assert.All(withSection, type => Assert.True(known.Contains(type), $"{type.FullName} is not in {nameof(BoundOptions)}"));
    }

    [Fact]
    public void The_sample_uses_the_defaults_the_code_has()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("appsettings.sample.json")));
        var root = doc.RootElement;
        Assert.Equal(new ConnectorOptions().MaxRetries, root.GetProperty("Connector").GetProperty("MaxRetries").GetInt32());
        Assert.Equal(new SettleOptions().PaymentWait, TimeSpan.Parse(root.GetProperty("Settle").GetProperty("PaymentWait").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DirectoryOptions().Provider, root.GetProperty("Directory").GetProperty("Provider").GetString());
        Assert.Equal(GraphOptions.DefaultBaseUrl, root.GetProperty("Graph").GetProperty("BaseUrl").GetString());
        var alerts = root.GetProperty("Alerts");
        Assert.Equal(new AlertsOptions().TenantRequestsPerSecond, alerts.GetProperty("TenantRequestsPerSecond").GetDouble());
        Assert.Equal(new AlertsOptions().ThreadRequestsPerSecond, alerts.GetProperty("ThreadRequestsPerSecond").GetInt32());
        Assert.Equal(new AlertsOptions().MaxConcurrentSends, alerts.GetProperty("MaxConcurrentSends").GetInt32());
        Assert.Equal(new AlertsOptions().MaxAttempts, alerts.GetProperty("MaxAttempts").GetInt32());
        // No secret in the repository: the credentials stay empty in the sample.
        Assert.Equal("", root.GetProperty("MicrosoftAppPassword").GetString());
        Assert.Equal("", root.GetProperty("Graph").GetProperty("ClientSecret").GetString());
    }

    private static HashSet<string> CodeKeys()
    {
        var keys = new HashSet<string>(ReadKeys, StringComparer.OrdinalIgnoreCase);
        foreach (var (type, prefix) in BoundOptions) AddProperties(type, prefix, keys);
        return keys;
    }

    private static void AddProperties(Type type, string prefix, HashSet<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            if (t.IsClass && t != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t)) AddProperties(t, key, keys);
            else keys.Add(key);
        }
    }

    /// <summary>The sample's leaves as configuration keys ("Section:Key"); an array is one key.</summary>
    private static HashSet<string> SampleKeys()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("appsettings.sample.json")));
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Walk(doc.RootElement, "", keys);
        return keys;

        static void Walk(JsonElement element, string path, HashSet<string> keys)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject()) Walk(property.Value, path.Length == 0 ? property.Name : $"{path}:{property.Name}", keys);
            }
            else
            {
                keys.Add(path);
            }
        }
    }
}
