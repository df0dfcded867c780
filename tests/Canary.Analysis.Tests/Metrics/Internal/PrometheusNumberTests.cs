using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Tests.Metrics.Internal;

/// <summary>
/// The one Prometheus number reader: every spelling Go's <c>strconv.ParseFloat</c> accepts in Prometheus' exposition
/// parser (no hex floats, no underscores) reads the same from bytes and from chars, and the JSON API parser and the
/// exposition parser (its two callers with the widest input) agree with it.
/// </summary>
public sealed class PrometheusNumberTests
{
    public static TheoryData<string, double> Accepted => new()
    {
        { "0", 0 },
        { "1", 1 },
        { "-0.25", -0.25 },
        { "+3", 3 },
        { "+3.", 3 },
        { "3.", 3 },
        { ".5", 0.5 },
        { "-.5", -0.5 },
        { "1435.781", 1435.781 },
        { "0.12345678901234567", 0.12345678901234567 },
        { "12345678901234567890123", 12345678901234567890123d },
        { "1e-07", 1e-07 },
        { "1e+21", 1e21 },
        { "6.02E23", 6.02e23 },
        { "-2.5e-3", -2.5e-3 },
        { "007", 7 },
        { "NaN", double.NaN },
        { "nan", double.NaN },
        { "NAN", double.NaN },
        { "+Inf", double.PositiveInfinity },
        { "Inf", double.PositiveInfinity },
        { "inf", double.PositiveInfinity },
        { "+inf", double.PositiveInfinity },
        { "INF", double.PositiveInfinity },
        { "-Inf", double.NegativeInfinity },
        { "-inf", double.NegativeInfinity },
        { "Infinity", double.PositiveInfinity },
        { "+infinity", double.PositiveInfinity },
        { "-Infinity", double.NegativeInfinity },
        { "1e400", double.PositiveInfinity },
        { "-1e400", double.NegativeInfinity },
    };

    public static TheoryData<string> Refused => new()
    {
        "",
        " ",
        " 1",
        "1 ",
        "+",
        "-",
        ".",
        "e5",
        "1e",
        "1e+",
        "1.2.3",
        "1..2",
        "0x10",
        "0x1p-2",
        "1_000",
        "1,000",
        "1,5",
        "+NaN",
        "-nan",
        "NaNa",
        "In",
        "Infinit",
        "infinityy",
        "++1",
        "--1",
        "∞",
        "１",
        "1f",
        "1d",
        "true",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void TryParse_AcceptedSpelling_ReadsTheSameFromBytesAndChars(string text, double expected)
    {
        Assert.True(PrometheusNumber.TryParse(text.AsSpan(), out var fromChars), $"chars: {text}");
        Assert.True(PrometheusNumber.TryParse(Encoding.UTF8.GetBytes(text), out var fromBytes), $"bytes: {text}");
        Assert.Equal(expected, fromChars);
        Assert.Equal(expected, fromBytes);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void TryParse_RefusedSpelling_IsNotANumberFromBytesOrChars(string text)
    {
        Assert.False(PrometheusNumber.TryParse(text.AsSpan(), out _), $"chars: '{text}'");
        Assert.False(PrometheusNumber.TryParse(Encoding.UTF8.GetBytes(text), out _), $"bytes: '{text}'");
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void PrometheusApiSampleValue_AcceptedSpelling_ReadsAsTheNumber(string text, double expected)
    {
        var json = $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"{{{text}}}"]}]}}""";

        var result = PrometheusResponseParser.Parse(Encoding.UTF8.GetBytes(json), "q");

        Assert.Equal(expected, Assert.Single(Assert.Single(result.Series).Samples).Value);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void PrometheusApiSampleValue_RefusedSpelling_IsAnInvalidResponse(string text)
    {
        var json = $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"{{{text}}}"]}]}}""";

        var ex = Assert.Throws<MetricQueryException>(() => PrometheusResponseParser.Parse(Encoding.UTF8.GetBytes(json), "q"));

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void ExpositionValue_AcceptedSpelling_ReadsAsTheNumber(string text, double expected)
    {
        var document = ExpositionParser.Parse($"m {text}\n", ExpositionDialect.PrometheusText);

        Assert.Equal(expected, Assert.Single(document.Samples).Value);
    }

    [Theory]
    [InlineData("0x10")]
    [InlineData("1_000")]
    [InlineData("+NaN")]
    [InlineData("1e")]
    [InlineData("Infinit")]
    public void ExpositionValue_RefusedSpelling_FailsTheParse(string text) =>
        Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse($"m {text}\n", ExpositionDialect.PrometheusText));
}
