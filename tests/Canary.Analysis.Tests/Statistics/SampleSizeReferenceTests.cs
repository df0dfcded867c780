using System.Text.Json;
using Canary.Analysis.Statistics;
using Canary.Analysis.Tests.Statistics.Reference;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// Every <c>power.prop.test</c> case of <c>r-reference.json</c>, with a relative tolerance of 1e-6
/// (R's uniroot tolerance on n is 1.2e-4 absolute; we run the same solver on the same function).
/// </summary>
public sealed class SampleSizeReferenceTests
{
    public static IEnumerable<object[]> RequestCases => RReference.Indices("power_prop_n");

    public static IEnumerable<object[]> DropCases => RReference.Indices("power_prop_p1");

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void RequestsPerVersion_MatchesR(int index)
    {
        JsonElement c = RReference.Document.GetProperty("power_prop_n")[index];
        foreach (Alternative alternative in Alternatives(c))
        {
            double n = SampleSize.RequestsPerVersion(c.Number("p1"), c.Number("p2"), c.Number("alpha"), c.Number("power"), alternative);
            RReference.Close(c.Number("n"), n, 0, 1e-6, $"n for {c}");
        }
    }

    [Theory]
    [MemberData(nameof(DropCases))]
    public void MinimumDetectableDrop_MatchesR(int index)
    {
        JsonElement c = RReference.Document.GetProperty("power_prop_p1")[index];
        foreach (Alternative alternative in Alternatives(c))
        {
            double drop = SampleSize.MinimumDetectableDrop(c.Number("baseline"), c.Number("n"), c.Number("alpha"), c.Number("power"), alternative);
            RReference.Close(c.Number("drop"), drop, 1e-9, 1e-6, $"drop for {c}");
        }
    }

    private static Alternative[] Alternatives(JsonElement c) =>
        c.GetProperty("alternative").GetString() == "one.sided"
            ? [Alternative.Less, Alternative.Greater]
            : [Alternative.TwoSided];
}
