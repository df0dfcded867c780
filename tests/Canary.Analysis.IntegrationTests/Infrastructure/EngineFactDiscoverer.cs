using Xunit.Abstractions;
using Xunit.Sdk;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// Discovers <see cref="PrometheusFactAttribute"/> tests: skipped with the install hint when the test class's engine
/// (<see cref="OnEngineAttribute"/>, Prometheus by default) is missing and CI is not <c>true</c>. xunit 2 has no dynamic skip,
/// and an attribute on a method of an abstract class cannot see the class that inherits it: the discoverer can.
/// </summary>
public sealed class EngineFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        EngineSkip.Reason(testMethod) is { } reason
            ? [EngineSkip.TestCase(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>The theory counterpart of <see cref="EngineFactDiscoverer"/>: a missing engine skips the theory as one test.</summary>
public sealed class EngineTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        EngineSkip.Reason(testMethod) is { } reason
            ? [EngineSkip.TestCase(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>Why a test of an engine-bound class is skipped (null: it runs).</summary>
internal static class EngineSkip
{
    public static string? Reason(ITestMethod testMethod)
    {
        var engine = testMethod.TestClass.Class.GetCustomAttributes(typeof(OnEngineAttribute))
            .Select(a => a.GetConstructorArguments().Single())
            .Cast<PrometheusApiEngine?>()
            .SingleOrDefault() ?? PrometheusApiEngine.Prometheus;
        return PrometheusApiEngines.IsAvailable(engine) || PrometheusAvailability.IsCi ? null : PrometheusApiEngines.MissingMessage(engine);
    }

    public static IXunitTestCase TestCase(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason) =>
        new SkippedTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason);
}

/// <summary>A test case skipped for a reason decided at discovery (serialised with it, for runners that re-load cases).</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = string.Empty;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod, string reason)
        : base(sink, display, options, testMethod)
    {
        _reason = reason;
    }

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
