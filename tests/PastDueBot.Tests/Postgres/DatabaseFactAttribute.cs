using Xunit.Abstractions;
using Xunit.Sdk;

namespace PastDueBot.Tests.Postgres;

/// <summary>Marks a test class that needs the PostgreSQL test server; its database facts skip loudly without one.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>
/// A [Fact] for tests shared by every storage dialect (in an abstract base class): it runs as usual, unless the
/// concrete class is [RequiresPostgres] and no server is configured outside CI — then it is reported as skipped.
/// </summary>
[XunitTestCaseDiscoverer("PastDueBot.Tests.Postgres.DatabaseFactDiscoverer", "PastDueBot.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseFactAttribute : FactAttribute;

/// <summary>The [Theory] counterpart of <see cref="DatabaseFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("PastDueBot.Tests.Postgres.DatabaseTheoryDiscoverer", "PastDueBot.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseTheoryAttribute : TheoryAttribute;

/// <summary>A [Fact] for PostgreSQL-only tests, skipped loudly outside CI when no server is configured.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestServer.SkipReason is { } reason) Skip = reason;
    }
}

public sealed class DatabaseFactDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _inner = new(sink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SkippedTestCase.For(sink, discoveryOptions, testMethod) ?? _inner.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class DatabaseTheoryDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    private readonly TheoryDiscoverer _inner = new(sink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SkippedTestCase.For(sink, discoveryOptions, testMethod) ?? _inner.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>A test case reported as skipped with a reason decided at discovery.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = string.Empty;

    [Obsolete("Called by the de-serializer", error: true)]
    public SkippedTestCase()
    {
    }

    private SkippedTestCase(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason)
        : base(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod)
    {
        _reason = reason;
    }

    public static IEnumerable<IXunitTestCase>? For(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod)
    {
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        return needsPostgres && PostgresTestServer.SkipReason is { } reason ? [new SkippedTestCase(sink, options, testMethod, reason)] : null;
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("PostgresSkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        // Before the base: it may initialise the case, which reads the skip reason.
        _reason = data.GetValue<string>("PostgresSkipReason");
        base.Deserialize(data);
    }
}
