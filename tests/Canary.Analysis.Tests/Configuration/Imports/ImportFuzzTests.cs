using Canary.Analysis.Configuration;
using Canary.Analysis.Configuration.Imports;
using Canary.Analysis.Configuration.Imports.Internal;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Configuration.Imports;

/// <summary>
/// Seeded fuzzing of the imports (deterministic: a failure names the iteration and the input): mutated fixtures are refused
/// with <see cref="PolicyDocumentException"/> or import to a document that loads — the round-trip guarantee on hostile input —
/// and the PromQL and condition readers never throw.
/// </summary>
public sealed class ImportFuzzTests
{
    private static readonly string[] PromQlTokens =
        ["sum(", "rate(", ")", "[5m]", "{", "}", "=~", "!~", "\"5..\"", "/", "* 100", "100 -", "or vector(100)", "by (le)", "histogram_quantile(0.99,", "«x»", "offset 5m", "[5m:1m]", ","];

    [Theory]
    [InlineData("argo-step-analysis.yaml", 1)]
    [InlineData("argo-background-analysis.yaml", 2)]
    [InlineData("flagger-builtin.yaml", 3)]
    [InlineData("flagger-templates.yaml", 4)]
    [InlineData("kayenta-checkout.json", 5)]
    public void MutatedSources_AreRefusedOrImportToADocumentThatLoads(string file, int seed)
    {
        var mutator = FuzzMutator.ForText(seed, [ImportFixtures.Read(file)], [.. FuzzMutator.TextTokens, .. PromQlTokens]);
        var imported = 0;
        for (var i = 0; i < 1_500; i++)
        {
            var input = mutator.NextString();
            try
            {
                var result = file.StartsWith("argo", StringComparison.Ordinal) ? PolicyImporter.FromArgo(input, file)
                    : file.StartsWith("flagger", StringComparison.Ordinal) ? PolicyImporter.FromFlagger(input, file)
                    : PolicyImporter.FromKayenta(input, file);
                _ = ImportFixtures.Build(result);
                imported++;
            }
            catch (PolicyDocumentException)
            {
            }
            catch (Exception ex)
            {
                var errors = (ex.InnerException as PolicyDocumentException)?.Errors ?? [];
                Assert.Fail($"{ex.GetType().Name} escaped ({string.Join("; ", errors)}) at {mutator.Describe(input)}: {ex}");
            }
        }

        Assert.InRange(imported, 1, 1_499);
    }

    [Fact]
    public void ThePromQlAndConditionReaders_NeverThrow()
    {
        var mutator = FuzzMutator.ForText(7, [
            "sum(rate(istio_requests_total{reporter=\"destination\",response_code!~\"5.*\"}[5m])) / sum(rate(istio_requests_total{reporter=\"destination\"}[5m])) * 100 or on() vector(100)",
            "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{app=\"web\"}[1m]))) * 1000",
            "len(result) == 0 || isNaN(result[0]) || (result[0] >= 0.95 && all(result, # < 1000))",
        ], PromQlTokens);
        for (var i = 0; i < 20_000; i++)
        {
            var input = mutator.NextString();
            try
            {
                _ = QueryRecognizer.Recognize(input);
                _ = ArgoCondition.Read(input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} ({ex.Message}) escaped at {mutator.Describe(input)}");
            }
        }
    }
}
