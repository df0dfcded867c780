using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Recognises the request-metric queries canary tools are written with — a success or error ratio of a request counter's
/// rates, a <c>histogram_quantile</c> or mean of a latency histogram, scaled (<c>* 100</c>, <c>100 - …</c>, <c>* 1000</c>) —
/// when they read a <see cref="TrafficConvention"/> preset's metrics; anything else is reported with the reason.
/// </summary>
internal static class QueryRecognizer
{
    private static readonly string[] FiveXx = ["5.*", "5..", "5\\d\\d", "5[0-9]{2}", "5[0-9][0-9]", "5.+", "5xx"];
    private static readonly string[] TwoXx = ["2.*", "2..", "2\\d\\d", "2[0-9]{2}", "2[0-9][0-9]", "2.+", "2xx"];
    private static readonly string[] FourOrFiveXx = ["[45].*", "[45]..", "4..|5..", "4.*|5.*", "[4-5].*", "[4-5].."];

    public static (RecognizedQuery? Query, string? Problem) Recognize(string query)
    {
        if (query.Contains($"[{TemplateText.Open}", StringComparison.Ordinal))
        {
            return (null, "its range is a placeholder without a value");
        }

        var (node, problem) = PromQlParser.Parse(query);
        if (node is null)
        {
            return (null, $"it is not PromQL this importer reads ({problem})");
        }

        double? noData = null;
        if (node is PromQlBinary { Operator: "or", Right: var fallback } or && Constant(fallback) is { } value)
        {
            noData = value;
            node = or.Left;
        }

        if (Linear(node) is not { Core: { } core } linear)
        {
            return (null, "it is not a ratio of request counters, a histogram_quantile or a mean latency (the only shapes a check kind judges)");
        }

        var notes = new List<string>();
        var (shape, conventions, quantile, range, scope, scale, offset) = core switch
        {
            PromQlCall { Function: "histogram_quantile" } call => Quantile(call, notes),
            PromQlBinary { Operator: "/" } ratio => Ratio(ratio, notes),
            PromQlAggregation sum => Errors(SumOfRate(sum)!, notes),
            _ => default,
        };
        if (conventions is not { Count: > 0 })
        {
            return (null, notes.Count > 0 ? notes[0] : "it reads no metric of a convention preset");
        }

        return (new RecognizedQuery(shape, conventions, linear.Offset + (linear.Scale * offset), linear.Scale * scale, quantile, range!, scope!, noData, notes), null);
    }

    private sealed record LinearForm(double Offset, double Scale, PromQlNode? Core);

    private static double? Constant(PromQlNode node) => node switch
    {
        PromQlNumber number => number.Value,
        PromQlCall { Function: "vector" or "scalar", Arguments: [var inner] } => Constant(inner),
        _ => null,
    };

    /// <summary>Reads value = Offset + Scale × core, for one non-constant core.</summary>
    private static LinearForm? Linear(PromQlNode node)
    {
        if (Constant(node) is { } constant)
        {
            return new LinearForm(constant, 0, null);
        }

        if (node is not PromQlBinary { Operator: "*" or "/" or "+" or "-" } binary)
        {
            return node is PromQlCall { Function: "histogram_quantile" } || SumOfRate(node) is not null ? new LinearForm(0, 1, node) : null;
        }

        if (binary.Operator == "/" && Constant(binary.Right) is null)
        {
            // A ratio: the core; 100 * a / b is (100 * a) / b.
            if (binary.Left is PromQlBinary { Operator: "*" } product && (Constant(product.Left) ?? Constant(product.Right)) is { } factor)
            {
                var inner = Constant(product.Left) is null ? product.Left : product.Right;
                return Linear(binary with { Left = inner }) is { } scaled ? scaled with { Offset = scaled.Offset * factor, Scale = scaled.Scale * factor } : null;
            }

            return new LinearForm(0, 1, node);
        }

        if (Linear(binary.Left) is not { } left || Linear(binary.Right) is not { } right || (left.Core is not null && right.Core is not null))
        {
            return null;
        }

        var core = left.Core ?? right.Core;
        return binary.Operator switch
        {
            "+" => new LinearForm(left.Offset + right.Offset, left.Scale + right.Scale, core),
            "-" => new LinearForm(left.Offset - right.Offset, left.Scale - right.Scale, core),
            "*" when left.Core is null => new LinearForm(left.Offset * right.Offset, left.Offset * right.Scale, core),
            "*" => new LinearForm(left.Offset * right.Offset, left.Scale * right.Offset, core),
            _ when right.Offset != 0 => new LinearForm(left.Offset / right.Offset, left.Scale / right.Offset, core),
            _ => null,
        };
    }

    private static (QueryShape, List<TrafficConvention>?, double, string?, List<PromQlMatcher>?, double Scale, double Offset) Quantile(PromQlCall call, List<string> notes)
    {
        if (call.Arguments is not [PromQlNumber { Value: > 0 and < 1 } q, PromQlAggregation { Operator: "sum", Grouping: ["le"], Without: false, Arguments: [var inner] }]
            || RateOf(inner) is not { Metric: { } metric } selector)
        {
            notes.Add("it is a histogram_quantile that is not of sum by (le) (rate(<histogram>_bucket[…])) with a literal quantile");
            return default;
        }

        var conventions = TrafficConvention.Presets.Where(p => p.LatencyHistogramMetric is { } h && metric == h + "_bucket").ToList();
        if (conventions.Count == 0)
        {
            notes.Add($"it reads {metric}, the latency histogram of no convention preset ({Histograms()})");
            return default;
        }

        var scope = Scope(selector.Matchers, conventions[0].LatencySelector, notes, exclude: "le");
        return (QueryShape.LatencyQuantile, conventions, q.Value, selector.Range, scope, 1, 0);
    }

    private static (QueryShape, List<TrafficConvention>?, double, string?, List<PromQlMatcher>?, double Scale, double Offset) Ratio(PromQlBinary ratio, List<string> notes)
    {
        if (SumOfRate(ratio.Left) is not { Metric: { } top } numerator || SumOfRate(ratio.Right) is not { Metric: { } bottom } denominator)
        {
            notes.Add("it divides expressions that are not sum(rate(<counter>[…])) of one counter each");
            return default;
        }

        if (numerator.Range != denominator.Range)
        {
            notes.Add($"its numerator and denominator read different ranges ({numerator.Range}, {denominator.Range})");
            return default;
        }

        if (top.EndsWith("_sum", StringComparison.Ordinal) && bottom == top[..^4] + "_count")
        {
            return Mean(top[..^4], numerator, denominator, notes);
        }

        var extra = numerator.Matchers.Except(denominator.Matchers).ToList();
        if (top != bottom || denominator.Matchers.Except(numerator.Matchers).Any() || extra.Count != 1)
        {
            notes.Add("it is a ratio, but not of one counter's rates with one status matcher more in the numerator");
            return default;
        }

        var status = extra[0];
        var conventions = TrafficConvention.Presets.Where(p => p.RequestCountMetric == top && p.StatusLabel == status.Name).ToList();
        if (conventions.Count == 0)
        {
            notes.Add(TrafficConvention.Presets.Any(p => p.RequestCountMetric == top)
                ? $"it reads {top} by the label {status.Name}, which no convention preset uses as its status label"
                : $"it reads {top}, the request counter of no convention preset ({string.Join(", ", TrafficConvention.Presets.Select(p => p.RequestCountMetric).Distinct())})");
            return default;
        }

        var convention = conventions[0];
        if (StatusSide(status) is not var (success, rule))
        {
            notes.Add($"its status matcher {status} is not one a success rate is counted with (non-5xx, 5xx or 2xx): it counts something else");
            return default;
        }

        if (rule != convention.SuccessRule)
        {
            notes.Add(convention.SuccessRule == SuccessRule.Status2xx
                ? $"the query counts {(success ? "" : "all but ")}{status} as success; the {convention.Name} convention counts only 2xx responses as successes (4xx fail too)"
                : $"the query counts {status} ({(success ? "success" : "errors")}); the {convention.Name} convention counts every response but 5xx as a success");
        }

        var scope = Scope(denominator.Matchers, convention.RequestSelector, notes, exclude: null);
        return (QueryShape.SuccessRatio, conventions, 0, numerator.Range, scope, success ? 1 : -1, success ? 0 : 1);
    }

    private static (QueryShape, List<TrafficConvention>?, double, string?, List<PromQlMatcher>?, double Scale, double Offset) Errors(PromQlSelector counter, List<string> notes)
    {
        var conventions = TrafficConvention.Presets
            .Where(p => p.RequestCountMetric == counter.Metric && counter.Matchers.Any(m => m.Name == p.StatusLabel && StatusSide(m) is (false, _)))
            .ToList();
        if (conventions.Count == 0)
        {
            notes.Add("it is a sum of rates, but not of a convention preset's request counter with a matcher on its errors (5xx)");
            return default;
        }

        var status = counter.Matchers.First(m => m.Name == conventions[0].StatusLabel);
        return (QueryShape.ErrorCount, conventions, 0, counter.Range, Scope(counter.Matchers.Where(m => m != status).ToList(), conventions[0].RequestSelector, notes, exclude: null), 1, 0);
    }

    private static (QueryShape, List<TrafficConvention>?, double, string?, List<PromQlMatcher>?, double Scale, double Offset) Mean(string histogram, PromQlSelector sum, PromQlSelector count, List<string> notes)
    {
        var conventions = TrafficConvention.Presets.Where(p => p.LatencyHistogramMetric == histogram).ToList();
        if (conventions.Count == 0 || !sum.Matchers.ToHashSet().SetEquals(count.Matchers))
        {
            notes.Add(conventions.Count == 0
                ? $"it reads {histogram}, the latency histogram of no convention preset ({Histograms()})"
                : "its _sum and _count select different series");
            return default;
        }

        return (QueryShape.LatencyMean, conventions, 0, sum.Range, Scope(sum.Matchers, conventions[0].LatencySelector, notes, exclude: null), 1, 0);
    }

    private static string Histograms() => string.Join(", ", TrafficConvention.Presets.Select(p => p.LatencyHistogramMetric).OfType<string>().Distinct());

    /// <summary>Whether a status matcher selects the successes or the errors, and which rule it counts by.</summary>
    private static (bool Success, SuccessRule Rule)? StatusSide(PromQlMatcher status) => (status.Operator, status.Value) switch
    {
        ("!=", "failure") or ("=", "success") => (true, SuccessRule.Non5xx),
        ("=", "failure") or ("!=", "success") => (false, SuccessRule.Non5xx),
        ("!~", var v) when FiveXx.Contains(v) => (true, SuccessRule.Non5xx),
        ("=~", var v) when FiveXx.Contains(v) => (false, SuccessRule.Non5xx),
        ("=~", var v) when TwoXx.Contains(v) => (true, SuccessRule.Status2xx),
        ("!~", var v) when TwoXx.Contains(v) => (false, SuccessRule.Status2xx),
        ("=~", var v) when FourOrFiveXx.Contains(v) => (false, SuccessRule.Status2xx),
        _ => null,
    };

    /// <summary>The query's own matchers: without the preset's fixed ones (noting a different value) and without <paramref name="exclude"/>.</summary>
    private static List<PromQlMatcher> Scope(IReadOnlyList<PromQlMatcher> matchers, LabelSelector fixedMatchers, List<string> notes, string? exclude)
    {
        var scope = new List<PromQlMatcher>();
        foreach (var matcher in matchers)
        {
            if (matcher.Name == exclude)
            {
                continue;
            }

            if (fixedMatchers.Matchers.FirstOrDefault(f => f.Name == matcher.Name) is { } preset)
            {
                if (preset.ToString() != matcher.ToString())
                {
                    notes.Add($"the query selects {matcher}; the convention preset reads {preset}");
                }

                continue;
            }

            scope.Add(matcher);
        }

        return scope;
    }

    private static PromQlSelector? SumOfRate(PromQlNode node) =>
        node is PromQlAggregation { Operator: "sum", Grouping: null or [], Arguments: [var inner] } ? RateOf(inner) : null;

    private static PromQlSelector? RateOf(PromQlNode node) =>
        node is PromQlCall { Function: "rate" or "irate" or "increase", Arguments: [PromQlSelector { Range: not null } selector] } ? selector : null;
}
