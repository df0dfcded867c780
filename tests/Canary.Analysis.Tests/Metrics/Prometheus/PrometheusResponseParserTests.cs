using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

public sealed class PrometheusResponseParserTests
{
    private const string Query = "up";

    private static MetricQueryResult Parse(string json) => PrometheusResponseParser.Parse(Encoding.UTF8.GetBytes(json), Query);

    private static MetricQueryException ParseFails(string json) => Assert.Throws<MetricQueryException>(() => Parse(json));

    [Fact]
    public void Parse_Vector_ReturnsSeriesWithLabelsAndOneSample()
    {
        var result = Parse("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},
              {"metric":{"__name__":"up","job":"node","instance":"localhost:9100"},"value":[1435781451.781,"0"]}]}}
            """);

        Assert.Equal(MetricResultType.Vector, result.ResultType);
        Assert.Equal(Query, result.Query);
        Assert.Equal(2, result.Series.Count);
        Assert.Equal("prometheus", result.Series[0].GetLabel("job"));
        Assert.Equal("localhost:9100", result.Series[1].GetLabel("instance"));
        Assert.Equal(3, result.Series[0].Labels.Count);
        var sample = Assert.Single(result.Series[1].Samples);
        Assert.Equal(0d, sample.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1435781451781), sample.Timestamp);
        Assert.False(result.IsEmpty);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Parse_Vector_SharesLabelNameInstancesAcrossSeries()
    {
        var result = Parse("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"job":"a"},"value":[1,"1"]},{"metric":{"job":"b"},"value":[1,"2"]}]}}
            """);

        Assert.Same(result.Series[0].Labels.Keys.Single(), result.Series[1].Labels.Keys.Single());
    }

    [Fact]
    public void Parse_Matrix_ReturnsAllSamplesInOrder()
    {
        var result = Parse("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"up","job":"prometheus"},"values":[[1435781430.781,"1"],[1435781445.781,"1"],[1435781460.781,"1"]]},
              {"metric":{"__name__":"up","job":"node"},"values":[[1435781430.781,"0"],[1435781445.781,"0.5"],[1435781460.781,"1e3"]]}]}}
            """);

        Assert.Equal(MetricResultType.Matrix, result.ResultType);
        Assert.Equal(2, result.Series.Count);
        Assert.Equal([0d, 0.5, 1000d], result.Series[1].Samples.Select(s => s.Value));
        Assert.Equal(
            [1435781430781L, 1435781445781L, 1435781460781L],
            result.Series[0].Samples.Select(s => s.Timestamp.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void Parse_Scalar_ReturnsOneUnlabelledSeries()
    {
        var result = Parse("""{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"42.5"]}}""");

        Assert.Equal(MetricResultType.Scalar, result.ResultType);
        var series = Assert.Single(result.Series);
        Assert.Empty(series.Labels);
        var sample = Assert.Single(series.Samples);
        Assert.Equal(42.5, sample.Value);
        Assert.Equal(1435781451781L, sample.Timestamp.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Parse_String_ReturnsStringValue()
    {
        var result = Parse("""{"status":"success","data":{"resultType":"string","result":[1435781451.781,"hello \"world\""]}}""");

        Assert.Equal(MetricResultType.String, result.ResultType);
        Assert.Equal("hello \"world\"", result.StringValue);
        Assert.Empty(result.Series);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("-0.25", -0.25)]
    [InlineData("1.7976931348623157e+308", double.MaxValue)]
    public void Parse_SpecialValues_AreKept(string text, double expected)
    {
        var result = Parse($$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"{{{text}}}"]}]}}""");

        Assert.Equal(expected, result.Series[0].Samples[0].Value);
    }

    [Fact]
    public void Parse_ManyDecimalValues_MatchDoubleParse()
    {
        var random = new Random(20240501);
        var texts = new List<string> { "0", "-0", "1", ".5", "1.", "0.1", "0.3", "123456789012345", "1234567890123456", "0.000000000000001", "9007199254740993", "-12.75", "1e-7", "5E+3" };
        for (var i = 0; i < 2000; i++)
        {
            var digits = random.Next(1, 18);
            var number = random.NextInt64(0, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture)[..Math.Min(digits, 18)];
            var point = random.Next(0, number.Length + 1);
            var text = point == number.Length ? number : number[..point] + "." + number[point..];
            texts.Add(random.Next(2) == 0 ? text : "-" + text);
        }

        foreach (var text in texts)
        {
            var result = Parse($$$"""{"status":"success","data":{"resultType":"scalar","result":[1,"{{{text}}}"]}}""");
            var expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(expected.Equals(result.Series[0].Samples[0].Value), $"{text}: {expected:R} != {result.Series[0].Samples[0].Value:R}");
        }
    }

    [Fact]
    public void Parse_ValuesUnderDifferentCulture_UsesInvariantCulture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var result = Parse("""{"status":"success","data":{"resultType":"scalar","result":[1,"1.5"]}}""");
            Assert.Equal(1.5, result.Series[0].Samples[0].Value);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("1435781451", 1435781451000L)]
    [InlineData("1435781451.7", 1435781451700L)]
    [InlineData("1435781451.78", 1435781451780L)]
    [InlineData("1435781451.781", 1435781451781L)]
    [InlineData("1435781451.7815", 1435781451782L)]
    [InlineData("1.435781451781e9", 1435781451781L)]
    [InlineData("0", 0L)]
    public void Parse_FractionalTimestamps_AreExactToTheMillisecond(string timestamp, long expectedMilliseconds)
    {
        var result = Parse($$$"""{"status":"success","data":{"resultType":"scalar","result":[{{{timestamp}}},"1"]}}""");

        Assert.Equal(expectedMilliseconds, result.Series[0].Samples[0].Timestamp.ToUnixTimeMilliseconds());
        Assert.Equal(TimeSpan.Zero, result.Series[0].Samples[0].Timestamp.Offset);
    }

    [Fact]
    public void Parse_PropertiesInOddOrder_ParsesTheSame()
    {
        var result = Parse("""
            {"data":{"result":[{"values":[[1,"2"]],"extra":{"x":[1,2,{"y":null}]},"metric":{"job":"api"}}],"resultType":"matrix"},
             "warnings":["partial"],"status":"success"}
            """);

        Assert.Equal(MetricResultType.Matrix, result.ResultType);
        Assert.Equal("api", result.Series[0].GetLabel("job"));
        Assert.Equal(2d, result.Series[0].Samples[0].Value);
        Assert.Equal(["partial"], result.Warnings);
    }

    [Fact]
    public void Parse_ScalarWithResultTypeAfterResult_ParsesScalar()
    {
        var result = Parse("""{"data":{"result":[10,"3"],"resultType":"scalar"},"status":"success"}""");

        Assert.Equal(3d, result.Series[0].Samples[0].Value);
    }

    [Fact]
    public void Parse_NativeHistograms_AreSkipped()
    {
        var result = Parse("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"rpc_seconds"},"histograms":[[1,{"count":"10","sum":"3.5","buckets":[[0,"0.1","0.2","4"],[0,"0.2","0.4","6"]]}]]},
              {"metric":{"__name__":"rpc_count"},"values":[[1,"10"]],"histogram":[1,{"count":"1","sum":"1"}]}]}}
            """);

        Assert.Equal(2, result.Series.Count);
        Assert.Empty(result.Series[0].Samples);
        Assert.Equal(10d, Assert.Single(result.Series[1].Samples).Value);
    }

    [Theory]
    [InlineData("vector")]
    [InlineData("matrix")]
    public void Parse_EmptyResult_IsEmptyWithoutException(string resultType)
    {
        var result = Parse($$$"""{"status":"success","data":{"resultType":"{{{resultType}}}","result":[]}}""");

        Assert.True(result.IsEmpty);
        Assert.Empty(result.Series);
    }

    [Fact]
    public void Parse_WarningsAndInfos_AreSurfaced()
    {
        var result = Parse("""
            {"status":"success","warnings":["query hit max samples"],"infos":["PromQL info: metric might not be a counter"],
             "data":{"resultType":"vector","result":[]}}
            """);

        Assert.Equal(["query hit max samples", "PromQL info: metric might not be a counter"], result.Warnings);
    }

    /// <summary>VictoriaMetrics cluster (vmselect) says <c>"isPartial":true</c> when some vmstorage nodes did not answer.</summary>
    [Fact]
    public void Parse_VictoriaMetricsIsPartialTrue_BecomesAWarningBeforeTheInfos()
    {
        var result = Parse("""
            {"status":"success","isPartial":true,"warnings":["w"],"infos":["PromQL info: i"],
             "data":{"resultType":"vector","result":[{"metric":{"code":"200"},"value":[1767231000,"12"]}]}}
            """);

        Assert.Equal(["w", PrometheusResponseParser.PartialResponseWarning, "PromQL info: i"], result.Warnings);
        Assert.Equal(["PromQL info: i"], result.Infos);
        Assert.Equal(12d, Assert.Single(Assert.Single(result.Series).Samples).Value);
    }

    [Fact]
    public void Parse_VictoriaMetricsIsPartialWithoutOtherWarnings_IsTheOnlyWarning()
    {
        var result = Parse("""{"status":"success","data":{"resultType":"vector","result":[]},"isPartial":true}""");

        Assert.Equal([PrometheusResponseParser.PartialResponseWarning], result.Warnings);
        Assert.Empty(result.Infos);
    }

    [Fact]
    public void Parse_VictoriaMetricsIsPartialFalse_AddsNothing()
    {
        var result = Parse("""{"status":"success","isPartial":false,"data":{"resultType":"vector","result":[]}}""");

        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("""{"status":"success","isPartial":"true","data":{"resultType":"vector","result":[]}}""")]
    [InlineData("""{"status":"success","isPartial":1,"data":{"resultType":"vector","result":[]}}""")]
    [InlineData("""{"status":"success","isPartial":null,"data":{"resultType":"vector","result":[]}}""")]
    [InlineData("""{"status":"success","isPartial":false,"isPartial":true,"data":{"resultType":"vector","result":[]}}""")]
    public void Parse_IsPartialNotOneBoolean_ThrowsInvalidResponse(string json)
    {
        var ex = ParseFails(json);

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("isPartial", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ErrorBody_ThrowsBackendWithErrorTypeAndQuery()
    {
        var ex = ParseFails("""{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input","warnings":["w"]}""");

        Assert.Equal(MetricQueryErrorKind.Backend, ex.Kind);
        Assert.Equal("bad_data", ex.ErrorType);
        Assert.Equal("1:5: parse error: unexpected end of input", ex.BackendMessage);
        Assert.Equal(["w"], ex.Warnings);
        Assert.Contains("query: up", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}""")]
    [InlineData("""{"status":"succ""")]
    [InlineData("")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("""{"status":"success"}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector"}}""")]
    [InlineData("""{"status":"success","data":{"result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"histogram","result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,1]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":["1","1"]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[1,"1"]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[]}} trailing""")]
    [InlineData("""[1,2,3]""")]
    public void Parse_MalformedOrWrongShape_ThrowsInvalidResponse(string json)
    {
        var ex = ParseFails(json);

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("query: up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HtmlBody_MessageIncludesTheStartOfTheBody()
    {
        var html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>" + new string('x', 1000) + "</body></html>";

        var ex = ParseFails(html);

        Assert.Contains("<html> <head><title>502 Bad Gateway</title></head>", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 300), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EscapedLabelsAndValues_AreUnescaped()
    {
        var result = Parse("""
            {"status":"success","data":{"resultType":"vector","result":[{"metric":{"pa\u0074h":"/a\"b\\c","x":"\u00e9"},"value":[1,"\u0031.5"]}]}}
            """);

        Assert.Equal("/a\"b\\c", result.Series[0].GetLabel("path"));
        Assert.Equal("é", result.Series[0].GetLabel("x"));
        Assert.Equal(1.5, result.Series[0].Samples[0].Value);
    }

    [Fact]
    public void Parse_LargeMatrix_ParsesEverySample()
    {
        var builder = new StringBuilder("""{"status":"success","data":{"resultType":"matrix","result":[""");
        for (var s = 0; s < 50; s++)
        {
            builder.Append(s == 0 ? "" : ",").Append($$"""{"metric":{"endpoint":"/e{{s}}","code":"200"},"values":[""");
            for (var i = 0; i < 200; i++)
            {
                builder.Append(i == 0 ? "" : ",").Append($"[{1700000000 + (i * 15)}.5,\"{i}\"]");
            }

            builder.Append("]}");
        }

        builder.Append("]}}");
        var result = Parse(builder.ToString());

        Assert.Equal(50, result.Series.Count);
        Assert.All(result.Series, s => Assert.Equal(200, s.Samples.Count));
        Assert.Equal(199d, result.Series[49].Samples[199].Value);
        Assert.Equal(1700000000500L + (199 * 15000), result.Series[49].Samples[199].Timestamp.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData(43, 0xE596B7B0C643C719UL, 0x6D9CCD05D0000000UL)]
    [InlineData(-1, 0xCCCCCCCCCCCCCCCCUL, 0xCCCCCCCCCCCCCCCCUL)]
    [InlineData(0, 0x8000000000000000UL, 0UL)]
    public void EiselLemire_PowersOfTen_AreTruncated128BitMantissas(int exp10, ulong high, ulong low)
    {
        Assert.Equal((high, low), EiselLemire.Power(exp10));
    }

    [Fact]
    public void TryParseSimpleDecimal_LongMantissas_MatchDoubleParse()
    {
        // Prometheus writes the shortest round-trip form: 16–17 significant digits are the common case.
        var random = new Random(7);
        var texts = new List<string> { "9007199254740993", "9007199254740992.5", "0.30000000000000004", "123456.78901234567", "18446744073709551615", "0.000000000000000000000000000000123456789012345678" };
        for (var i = 0; i < 200_000; i++)
        {
            texts.Add(i % 2 == 0
                ? (random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
                : RandomDecimal(random));
        }

        var decided = 0;
        var candidates = 0;
        foreach (var text in texts)
        {
            if (text.Contains('E', StringComparison.Ordinal))
            {
                continue;
            }

            candidates++;

            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            if (PrometheusNumber.TryParseSimpleDecimal<byte>(bytes, out var value))
            {
                decided++;
                Assert.True(expected.Equals(value), $"{text}: {expected:R} != {value:R}");
            }
        }

        Assert.True(decided > candidates * 0.95, $"the fast paths decided only {decided} of {candidates}");
    }

    private static string RandomDecimal(Random random)
    {
        var digits = random.Next(15, 20);
        var builder = new StringBuilder(digits + 2);
        builder.Append((char)('1' + random.Next(9)));
        for (var d = 1; d < digits; d++)
        {
            builder.Append((char)('0' + random.Next(10)));
        }

        var point = random.Next(0, digits + 3);
        var text = builder.ToString();
        text = point >= digits ? text : point == 0 ? "0." + text : text[..point] + "." + text[point..];
        return random.Next(2) == 0 ? text : "-" + text;
    }
}
