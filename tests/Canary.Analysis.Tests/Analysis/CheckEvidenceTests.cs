using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>
/// <see cref="CheckEvidence"/> is a value: equal (<c>==</c>, <c>Equals</c>, equal hash codes) when its JSON says the same,
/// whatever the whitespace, member order or number spelling, and whether it was captured from a value or read back.
/// </summary>
public sealed class CheckEvidenceTests
{
    private static CheckEvidence Evidence(string json) => CheckEvidence.FromJson(JsonDocument.Parse(json).RootElement);

    private static void AssertEqual(CheckEvidence a, CheckEvidence b)
    {
        Assert.True(a == b && b == a && !(a != b), $"{a} vs {b}");
        Assert.True(a.Equals(b) && a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    private static void AssertNotEqual(CheckEvidence a, CheckEvidence b)
    {
        Assert.True(a != b && b != a && !(a == b), $"{a} vs {b}");
        Assert.False(a.Equals(b) || a.Equals((object)b));
    }

    [Theory]
    [InlineData("{\"looks\":2}", "{ \"looks\" : 2 }")]
    [InlineData("{\"a\":1,\"b\":[true,null]}", "{\"b\":[true,null],\"a\":1}")]
    [InlineData("{\"x\":{\"b\":1,\"a\":2}}", "{\"x\":{\"a\":2,\"b\":1}}")]
    [InlineData("1", "1.0")]
    [InlineData("1", "10e-1")]
    [InlineData("1.5", "0.15E+1")]
    [InlineData("-120", "-1.2e2")]
    [InlineData("0", "-0.0e5")]
    [InlineData("0.001", "1e-3")]
    [InlineData("\"A/é\"", "\"\\u0041\\/\\u00e9\"")]
    [InlineData("[1e400]", "[10e399]")]
    public void SameMeaning_IsEqual(string a, string b) => AssertEqual(Evidence(a), Evidence(b));

    [Theory]
    [InlineData("{\"looks\":2}", "{\"looks\":3}")]
    [InlineData("{\"a\":1}", "{\"a\":1,\"b\":null}")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("1", "\"1\"")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("0.1", "0.10000000000000001")]
    [InlineData("{\"a\":1,\"a\":2}", "{\"a\":2,\"a\":1}")]
    [InlineData("\"a\"", "\"A\"")]
    [InlineData("null", "false")]
    [InlineData("{}", "[]")]
    public void DifferentMeaning_IsNotEqual(string a, string b) => AssertNotEqual(Evidence(a), Evidence(b));

    [Fact]
    public void TextThatIsNotText_ComparesByItsRawText_AndNeverThrows()
    {
        var lone = Evidence("{\"k\":\"\\uD800\"}");
        AssertEqual(lone, Evidence("{\"k\":\"\\uD800\"}"));
        AssertNotEqual(lone, Evidence("{\"k\":\"\\uD801\"}"));
        AssertNotEqual(lone, Evidence("{\"k\":\"x\"}"));
        AssertNotEqual(Evidence("{\"\\uD800\":1}"), Evidence("{\"\\uDBFF\":1}"));
    }

    [Fact]
    public void Null_EqualsOnlyNull()
    {
        var evidence = Evidence("{}");
        Assert.False(evidence == null);
        Assert.False(null == evidence);
        Assert.True((CheckEvidence?)null == null);
        Assert.False(evidence.Equals(null));
        Assert.False(evidence.Equals("{}"));
    }

    [Fact]
    public void CapturedEvidence_EqualsTheSameEvidenceReadBackFromItsJson()
    {
        var state = SequentialErrorRateState.Initial(new SequentialErrorRateCriteria()) with
        {
            Endpoints = [new SequentialEndpointEvidence("/pay", 1, new SequentialRateRatioEvidence(Alternative.Greater, 1.5, 10), null) { CanaryRequests = 40, CanaryErrors = 1 }],
            MaxCombinedEValue = double.PositiveInfinity,
            LastLook = new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero),
            WindowStart = new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero),
        };
        var captured = CheckEvidence.Of(state, EvidenceJsonContext.Default.SequentialErrorRateState);
        var readBack = CheckEvidence.FromJson(JsonDocument.Parse(captured.ToString()).RootElement);

        AssertEqual(captured, readBack);
        AssertEqual(captured, CheckEvidence.Of(state with { }, EvidenceJsonContext.Default.SequentialErrorRateState));
        AssertNotEqual(captured, CheckEvidence.Of(state with { MaxCombinedEValue = 2 }, EvidenceJsonContext.Default.SequentialErrorRateState));
    }
}
