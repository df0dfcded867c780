namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>A node of a PromQL expression, as far as imports need to read one (no evaluation).</summary>
internal abstract record PromQlNode;

/// <summary>A number literal.</summary>
internal sealed record PromQlNumber(double Value) : PromQlNode;

/// <summary>A string literal.</summary>
internal sealed record PromQlString(string Value) : PromQlNode;

/// <summary>A series selector, <c>metric{label="value"}[5m]</c>; the range is the text inside the brackets, or null.</summary>
internal sealed record PromQlSelector(string? Metric, IReadOnlyList<PromQlMatcher> Matchers, string? Range) : PromQlNode;

/// <summary>One label matcher of a selector; <paramref name="Operator"/> is <c>=</c>, <c>!=</c>, <c>=~</c> or <c>!~</c>.</summary>
internal sealed record PromQlMatcher(string Name, string Operator, string Value)
{
    public override string ToString() => $"{Name}{Operator}\"{Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}

/// <summary>A function call, <c>rate(…)</c>, <c>histogram_quantile(…)</c>, <c>vector(…)</c>.</summary>
internal sealed record PromQlCall(string Function, IReadOnlyList<PromQlNode> Arguments) : PromQlNode;

/// <summary>An aggregation, <c>sum by (le) (…)</c>; <paramref name="Grouping"/> is null without <c>by</c>/<c>without</c>.</summary>
internal sealed record PromQlAggregation(string Operator, IReadOnlyList<string>? Grouping, bool Without, IReadOnlyList<PromQlNode> Arguments) : PromQlNode;

/// <summary>A binary operation; <paramref name="Matching"/> says whether it had <c>on(…)</c>/<c>ignoring(…)</c>.</summary>
internal sealed record PromQlBinary(string Operator, PromQlNode Left, PromQlNode Right, bool Matching) : PromQlNode;
