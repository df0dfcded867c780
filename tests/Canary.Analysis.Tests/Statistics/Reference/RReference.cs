using System.Text.Json;
using System.Text.Json.Serialization;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics.Reference;

/// <summary>Loads <c>r-reference.json</c>, written by <c>generate.R</c>.</summary>
internal static class RReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "r-reference.json");
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    });

    private static readonly Lazy<JsonElement> ProportionRoot = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "r-proportions.json");
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    });

    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonElement Document => Root.Value;

    /// <summary>Gets <c>r-proportions.json</c>, written by <c>generate-proportions.R</c>.</summary>
    public static JsonElement Proportions => ProportionRoot.Value;

    public static double Number(this JsonElement element, string name) =>
        element.GetProperty(name).Deserialize<double>(Options);

    public static double[] Numbers(this JsonElement element, string name) =>
        element.GetProperty(name).Deserialize<double[]>(Options)!;

    public static Alternative Alternative(this JsonElement element) =>
        element.GetProperty("alternative").GetString() switch
        {
            "two.sided" => Canary.Analysis.Statistics.Alternative.TwoSided,
            "less" => Canary.Analysis.Statistics.Alternative.Less,
            "greater" => Canary.Analysis.Statistics.Alternative.Greater,
            "one.sided" => Canary.Analysis.Statistics.Alternative.Less,
            var other => throw new InvalidOperationException($"Unknown alternative {other}."),
        };

    public static IEnumerable<object[]> Indices(string section) =>
        Enumerable.Range(0, Document.GetProperty(section).GetArrayLength()).Select(i => new object[] { i });

    public static IEnumerable<object[]> ProportionIndices(string section) =>
        Enumerable.Range(0, Proportions.GetProperty(section).GetArrayLength()).Select(i => new object[] { i });

    /// <summary>|actual − expected| ≤ absolute + relative·|expected|, with equal infinities and NaN accepted.</summary>
    public static void Close(double expected, double actual, double absolute, double relative, string what)
    {
        if (expected.Equals(actual))
        {
            return;
        }

        double diff = Math.Abs(actual - expected);
        Assert.True(
            diff <= absolute + (relative * Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (difference {diff:G3})");
    }
}
