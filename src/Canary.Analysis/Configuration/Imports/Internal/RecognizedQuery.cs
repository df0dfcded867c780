using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>What a query measures, when it is one of the request-metric shapes a check kind judges.</summary>
internal enum QueryShape
{
    /// <summary>A ratio of a request counter's rates: value = <see cref="RecognizedQuery.Offset"/> + <see cref="RecognizedQuery.Scale"/> × success fraction.</summary>
    SuccessRatio,

    /// <summary><c>histogram_quantile(q, …)</c> of a latency histogram: value = Offset + Scale × latency in the histogram's unit.</summary>
    LatencyQuantile,

    /// <summary><c>sum(rate(…))</c> of a request counter's errors (5xx): value = Offset + Scale × errors per second, which depends on the traffic.</summary>
    ErrorCount,

    /// <summary><c>_sum / _count</c> of a latency histogram: the mean, value = Offset + Scale × latency in the histogram's unit.</summary>
    LatencyMean,
}

/// <summary>A query recognised as a request metric of a convention preset.</summary>
/// <param name="Shape">What it measures.</param>
/// <param name="Conventions">The presets whose metric it reads, best first (several share <c>http_request_duration_seconds</c>).</param>
/// <param name="Offset">The value's offset (see <see cref="QueryShape"/>).</param>
/// <param name="Scale">The value's scale (see <see cref="QueryShape"/>).</param>
/// <param name="Quantile">The quantile of a <see cref="QueryShape.LatencyQuantile"/>.</param>
/// <param name="Range">The range of its rates, e.g. <c>5m</c>.</param>
/// <param name="Scope">The matchers left once the status, <c>le</c> and the preset's own matchers are taken out: what the query selects.</param>
/// <param name="NoDataValue">The value of an <c>or vector(N)</c> fallback, or null.</param>
/// <param name="Notes">What the preset reads differently from the query.</param>
internal sealed record RecognizedQuery(
    QueryShape Shape,
    IReadOnlyList<TrafficConvention> Conventions,
    double Offset,
    double Scale,
    double Quantile,
    string Range,
    IReadOnlyList<PromQlMatcher> Scope,
    double? NoDataValue,
    IReadOnlyList<string> Notes);
