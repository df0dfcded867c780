using System.Text.Json;
using Canary.Analysis.Statistics;
using Canary.Analysis.Tests.Statistics.Reference;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// Every <c>wilcox.test(x, y, conf.int = TRUE, …)</c> case of <c>r-reference.json</c>.
/// Tolerances: statistic exact; p-value 1e-12 absolute + 1e-9 relative; exact-branch estimate and bounds
/// 1e-12 absolute + 1e-12 relative (they are order statistics of the same differences); normal-approximation
/// estimate and bounds 1e-6 absolute + 1e-9 relative (R's uniroot tolerance is 1e-4; we run the same solver).
/// </summary>
public sealed class MannWhitneyReferenceTests
{
    public static IEnumerable<object[]> Cases => RReference.Indices("wilcox");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Test_MatchesR(int index)
    {
        JsonElement c = RReference.Document.GetProperty("wilcox")[index];
        string name = c.GetProperty("dataset").GetString()!;
        JsonElement data = RReference.Document.GetProperty("datasets").GetProperty(name);
        JsonElement exact = c.GetProperty("exact");
        var options = new MannWhitneyOptions
        {
            Alternative = c.Alternative(),
            Mu = c.Number("mu"),
            Exact = exact.ValueKind == JsonValueKind.Null ? null : exact.GetBoolean(),
            ContinuityCorrection = c.GetProperty("correct").GetBoolean(),
            ConfidenceLevel = c.Number("conf_level"),
        };

        MannWhitneyResult result = MannWhitney.Test(data.Numbers("x"), data.Numbers("y"), options);

        string what = $"{name} {options.Alternative} mu={options.Mu} exact={options.Exact} correct={options.ContinuityCorrection} level={options.ConfidenceLevel}";
        bool rExact = c.GetProperty("method").GetString()!.Contains("exact", StringComparison.Ordinal);
        Assert.Equal(rExact, result.IsExact);
        Assert.Equal(c.Number("statistic"), result.Statistic);
        RReference.Close(c.Number("p_value"), result.PValue, 1e-12, 1e-9, what + " p-value");
        double absolute = rExact ? 1e-12 : 1e-6;
        double relative = rExact ? 1e-12 : 1e-9;
        RReference.Close(c.Number("estimate"), result.Estimate, absolute, relative, what + " estimate");
        RReference.Close(c.Number("conf_low"), result.ConfidenceInterval.Lower, absolute, relative, what + " lower");
        RReference.Close(c.Number("conf_high"), result.ConfidenceInterval.Upper, absolute, relative, what + " upper");
        RReference.Close(c.Number("achieved_level"), result.ConfidenceInterval.Level, 1e-12, 1e-9, what + " level");
    }
}
