using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog.Internal;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Metrics.Recorded;
using Canary.Analysis.Tests.Metrics.Datadog;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of every JSON and selector parser: 100 000 mutated inputs each (each of Datadog's three response shapes
/// and each recording reader included; deterministic, so a failure names the iteration and the input), asserting that only
/// the documented exception type comes out and that Try methods never throw.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Inputs = 100_000;
    private const string Query = "sum by (endpoint, code) (increase(http_requests_total[5m]))";

    private static readonly string[] PrometheusBodies =
    [
        """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"endpoint":"/a","code":"200"},"value":[1767225300.781,"12"]},{"metric":{"endpoint":"/a","code":"500"},"value":[1767225300.781,"NaN"]}]}}""",
        """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"p"},"values":[[1435781430.781,"1"],[1435781445.781,"+Inf"],[1435781460.781,"1e3"]]}]}}""",
        """{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"42.5"]}}""",
        """{"status":"success","data":{"resultType":"string","result":[1435781451.781,"caf\u00e9 \ud83d\ude00"]}}""",
        """{"status":"success","warnings":["partial response"],"infos":["PromQL info: x"],"data":{"resultType":"vector","result":[]}}""",
        """{"status":"error","errorType":"bad_data","error":"1:5: parse error","warnings":["w"]}""",
        """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"le":"0.1"},"values":[[1,"1"]],"histograms":[[1,{"count":"1","sum":"1","buckets":[[0,"0.1","0.2","4"]]}]]}]}}""",
    ];

    [Fact]
    public void PrometheusResponseParser_OnlyMetricQueryException()
    {
        var mutator = new FuzzMutator(seed: 9001, PrometheusBodies.Select(Encoding.UTF8.GetBytes));
        var invalid = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = mutator.NextBytes();
            try
            {
                var result = PrometheusResponseParser.Parse(input, Query);
                Assert.Equal(Query, result.Query);
            }
            catch (MetricQueryException ex) when (ex.Kind is MetricQueryErrorKind.InvalidResponse or MetricQueryErrorKind.Backend)
            {
                Assert.Equal(Query, ex.Query);
                invalid++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} ({ex.Message}) escaped at {mutator.Describe(input)}");
            }

            _ = Try(() => PrometheusResponseParser.TryReadError(input), mutator.Describe(input));
        }

        // The mutations do damage: most inputs are rejected, some survive.
        Assert.InRange(invalid, Inputs / 4, Inputs - 1);
    }

    [Fact]
    public void DatadogResponseParser_OnlyMetricQueryException()
    {
        string[] fixtures = ["v1-query.json", "v1-empty.json", "v2-timeseries.json", "v2-scalar-grouped.json", "v2-scalar-ungrouped.json", "v2-body-errors.json", "trace-hits.json", "errors-400.json"];
        var mutator = new FuzzMutator(seed: 9002, fixtures.Select(f => Encoding.UTF8.GetBytes(DatadogFixture.Read(f))));
        var time = DateTimeOffset.FromUnixTimeSeconds(1767225300);
        var invalid = 0;
        const int shapes = 3;
        for (var i = 0; i < shapes * Inputs; i++)
        {
            var input = mutator.NextBytes();
            try
            {
                _ = (i % shapes) switch
                {
                    0 => DatadogResponseParser.ParseV1(input, Query, 200),
                    1 => DatadogResponseParser.ParseTimeseries(input, Query, 200),
                    _ => DatadogResponseParser.ParseScalar(input, Query, 200, time),
                };
            }
            catch (MetricQueryException ex) when (ex.Kind is MetricQueryErrorKind.InvalidResponse or MetricQueryErrorKind.Backend)
            {
                Assert.Equal(Query, ex.Query);
                invalid++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} ({ex.Message}) escaped at {mutator.Describe(input)}");
            }

            _ = Try(() => DatadogResponseParser.TryReadErrors(input), mutator.Describe(input));
        }

        Assert.InRange(invalid, shapes * Inputs / 4, (shapes * Inputs) - 1);
    }

    [Fact]
    public void LabelSelector_ParseThrowsOnlyFormatException_TryParseNeverThrows_AndAgrees()
    {
        string[] selectors =
        [
            "version=\"canary\",pod=~\"web-.*\"",
            "{app!~'x|y', zone != \"b\"}",
            "a=\"\\u00e9\\x41\\101\\U0001F600\\n\\\\\"",
            "path=`/a\\b`,code=~\"5..\"",
            "a=~\"(?i)GET|POST\",b!=\"\"",
            "",
        ];
        var mutator = FuzzMutator.ForText(seed: 9003, selectors);
        var parsed = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var text = mutator.NextString();
            var viaTry = Try(() => LabelSelector.TryParse(text, out var s) ? s : null, mutator.Describe(text));
            var ok = viaTry is not null;
            try
            {
                var selector = LabelSelector.Parse(text);
                Assert.True(ok, $"Parse accepted what TryParse rejected at {mutator.Describe(text)}");
                Assert.Equal(selector, viaTry);

                // What a selector renders, it reads back unchanged.
                Assert.Equal(selector, LabelSelector.Parse(selector.ToString()));
                parsed++;
            }
            catch (FormatException)
            {
                Assert.False(ok, $"TryParse accepted what Parse rejected at {mutator.Describe(text)}");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{ex.GetType().Name} ({ex.Message}) escaped at {mutator.Describe(text)}");
            }
        }

        Assert.InRange(parsed, Inputs / 20, Inputs - 1);
    }

    [Fact]
    public void RecordingReaders_OnlyFormatException()
    {
        var traffic = """
            {"format":"canary-analysis/recorded-traffic/v1","snapshots":[
              {"query":{"selector":"version=\"canary\"","end":"2026-01-01T00:13:00Z","window":"00:13:00","includeLatency":true},
               "end":"2026-01-01T00:13:00Z","window":"00:13:00","warnings":["w"],
               "endpoints":[{"endpoint":"/a","successRule":"Status2xx","counts":{"2xx":10,"5xx":"NaN"},
                 "latency":{"buckets":[{"le":"0.1","count":3},{"le":"+Inf","count":10}],"sum":1.5}}]}]}
            """;
        var metrics = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DemoRecording", "canary-vs-baseline.json"));
        var small = """
            {"format":"canary-analysis/recorded-prometheus/v1","recordings":[
              {"query":"up","time":"2026-01-01T02:00:00Z","response":{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1767232800,"1"]}]}}},
              {"query":"down","response":{"status":"error","errorType":"timeout","error":"t"}}]}
            """;
        var mutator = new FuzzMutator(seed: 9004, new[] { traffic, metrics, small, traffic }.Select(Encoding.UTF8.GetBytes));
        var rejected = 0;
        const int readers = 2;
        for (var i = 0; i < readers * Inputs; i++)
        {
            var input = mutator.NextBytes();
            try
            {
                if (i % readers == 0)
                {
                    _ = RecordedTrafficSource.Load(new MemoryStream(input), "fuzz.json");
                }
                else
                {
                    _ = RecordedMetricProvider.Load(new MemoryStream(input), "fuzz.json");
                }
            }
            catch (FormatException ex)
            {
                Assert.StartsWith("fuzz.json", ex.Message, StringComparison.Ordinal);
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} ({ex.Message}) escaped at {mutator.Describe(input)}");
            }
        }

        Assert.InRange(rejected, readers * Inputs / 4, (readers * Inputs) - 1);
    }

    [Fact]
    public void KeptnCriterion_ParseThrowsOnlyFormatException_AndReadsBackWhatItAccepts()
    {
        string[] criteria = ["<=+10%", "<600", ">-5", ">= 0.5", "=1.", "<.25%", " > 3 "];
        string[] tokens = ["<", "<=", "=", ">=", ">", "+", "-", "%", ".", "1e9", "١", "\u00A0", "99999999999999999999999999999999", "NaN", "∞"];
        var mutator = FuzzMutator.ForText(seed: 9005, criteria, tokens);
        var parsed = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var text = mutator.NextString();
            try
            {
                var criterion = Canary.Analysis.Statistics.Keptn.KeptnCriterion.Parse(text);
                Assert.Equal(text, criterion.ToString());
                Assert.False(double.IsNaN(criterion.Value) || criterion.Value < 0, $"value {criterion.Value} at {mutator.Describe(text)}");
                parsed++;
            }
            catch (FormatException ex)
            {
                Assert.True(ex.Message.Contains(text, StringComparison.Ordinal), $"{ex.Message} at {mutator.Describe(text)}");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{ex.GetType().Name} ({ex.Message}) escaped at {mutator.Describe(text)}");
            }
        }

        Assert.InRange(parsed, Inputs / 50, Inputs - 1);
    }

    [Fact]
    public void FuzzMutator_IsDeterministic()
    {
        var a = new FuzzMutator(7, [Encoding.UTF8.GetBytes(PrometheusBodies[0])]);
        var b = new FuzzMutator(7, [Encoding.UTF8.GetBytes(PrometheusBodies[0])]);
        var c = new FuzzMutator(8, [Encoding.UTF8.GetBytes(PrometheusBodies[0])]);
        var first = Enumerable.Range(0, 50).Select(_ => Convert.ToBase64String(a.NextBytes())).ToList();

        Assert.Equal(first, Enumerable.Range(0, 50).Select(_ => Convert.ToBase64String(b.NextBytes())));
        Assert.NotEqual(first, Enumerable.Range(0, 50).Select(_ => Convert.ToBase64String(c.NextBytes())));
        Assert.Equal(50, a.Count);
    }

    private static T Try<T>(Func<T> action, string where)
    {
        try
        {
            return action();
        }
        catch (Exception ex)
        {
            Assert.Fail($"a Try method threw {ex.GetType().Name} ({ex.Message}) at {where}");
            throw;
        }
    }
}
