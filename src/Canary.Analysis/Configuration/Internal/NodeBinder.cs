using System.Globalization;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>
/// Reads typed values out of document nodes and collects every error with its path, line and value: a wrong type, an
/// impossible value and an unknown field are errors, never ignored. A read that fails returns null and the caller goes on,
/// so one pass reports every error in the document.
/// </summary>
internal sealed class NodeBinder(string origin, StringComparer? keys = null)
{
    public string Origin { get; } = origin;

    /// <summary>Gets how field names compare: exactly in documents; ignoring case in configuration, whose keys are case-insensitive.</summary>
    public StringComparer Keys { get; } = keys ?? StringComparer.Ordinal;

    public List<PolicyDocumentError> Errors { get; } = [];

    public void Error(DocumentNode node, string message, bool showValue = true) =>
        Errors.Add(new PolicyDocumentError(Origin, node.Path, node.Line, showValue && node is ScalarNode { Text: { } text } ? text : null, message));

    public void Error(string path, int line, string message) => Errors.Add(new PolicyDocumentError(Origin, path, line, null, message));

    /// <summary>Reads a mapping and refuses keys it does not know, suggesting the closest known one.</summary>
    public DocumentFields? Fields(DocumentNode? node, params string[] known)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not MappingNode mapping)
        {
            Error(node, $"must be a mapping with the fields {string.Join(", ", known)}; it is {node.KindName}");
            return null;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            if (!known.Contains(key, Keys))
            {
                var suggestion = Closest(key, known);
                Errors.Add(new PolicyDocumentError(Origin, value.Path, value.Line, value is ScalarNode { Text: { } text } ? text : null,
                    suggestion is null
                        ? $"is not a field here; the fields are {string.Join(", ", known)}"
                        : $"is not a field here; did you mean '{suggestion}'?"));
            }
        }

        return FieldsOf(mapping);
    }

    /// <summary>The fields of a mapping, without checking its keys.</summary>
    public DocumentFields FieldsOf(MappingNode mapping) => new(mapping, Keys);

    public MappingNode? Mapping(DocumentNode? node)
    {
        if (node is null or MappingNode)
        {
            return (MappingNode?)node;
        }

        Error(node, $"must be a mapping; it is {node.KindName}");
        return null;
    }

    public SequenceNode? Sequence(DocumentNode? node)
    {
        if (node is null or SequenceNode)
        {
            return (SequenceNode?)node;
        }

        Error(node, $"must be a list; it is {node.KindName}");
        return null;
    }

    public string? String(DocumentNode? node, bool secret = false)
    {
        switch (node)
        {
            case null:
                return null;
            case ScalarNode { Kind: ScalarKind.Plain or ScalarKind.String, Text: { Length: > 0 } text }:
                return text;
            default:
                Error(node, $"must be a non-empty text; it is {(node is ScalarNode { Kind: ScalarKind.Plain or ScalarKind.String } ? "empty" : node.KindName)}", showValue: !secret);
                return null;
        }
    }

    public double? Number(DocumentNode? node, double minimum, double maximum, bool exclusiveMinimum = false)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not ScalarNode { Kind: ScalarKind.Plain or ScalarKind.Number, Text: { } text }
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            Error(node, node is ScalarNode { Kind: ScalarKind.String } ? "must be a number, written without quotes" : $"must be a number; it is {Describe(node)}");
            return null;
        }

        if (value < minimum || value > maximum || (exclusiveMinimum && value == minimum))
        {
            var low = exclusiveMinimum ? $"greater than {Format(minimum)}" : $"at least {Format(minimum)}";
            Error(node, double.IsPositiveInfinity(maximum) ? $"must be {low}" : $"must be {low} and at most {Format(maximum)}");
            return null;
        }

        return value;
    }

    public int? Integer(DocumentNode? node, int minimum, int maximum)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not ScalarNode { Kind: ScalarKind.Plain or ScalarKind.Number, Text: { } text }
            || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(node, node is ScalarNode { Kind: ScalarKind.String } ? "must be a whole number, written without quotes" : $"must be a whole number; it is {Describe(node)}");
            return null;
        }

        if (value < minimum || value > maximum)
        {
            Error(node, maximum == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"must be at least {minimum}")
                : string.Create(CultureInfo.InvariantCulture, $"must be from {minimum} to {maximum}"));
            return null;
        }

        return value;
    }

    public bool? Boolean(DocumentNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case ScalarNode { Kind: ScalarKind.Plain or ScalarKind.Boolean, Text: "true" or "True" or "TRUE" }:
                return true;
            case ScalarNode { Kind: ScalarKind.Plain or ScalarKind.Boolean, Text: "false" or "False" or "FALSE" }:
                return false;
            default:
                Error(node, $"must be true or false; it is {Describe(node)}");
                return null;
        }
    }

    /// <summary>Reads a duration written as Prometheus writes one: <c>30s</c>, <c>1m</c>, <c>1h30m</c>, <c>500ms</c>, <c>1d</c>.</summary>
    public TimeSpan? Duration(DocumentNode? node, TimeSpan? minimum = null)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not ScalarNode { Kind: ScalarKind.Plain or ScalarKind.String, Text: { } text } || PrometheusDuration.Parse(text) is not { } value)
        {
            Error(node, $"must be a duration such as 30s, 1m, 1h30m or 24h; it is {Describe(node)}");
            return null;
        }

        var least = minimum ?? TimeSpan.Zero;
        if (value <= least)
        {
            Error(node, least == TimeSpan.Zero ? "must be longer than zero" : $"must be longer than {PrometheusDuration.Format(least)}");
            return null;
        }

        return value;
    }

    /// <summary>Reads one of a closed set of names (kebab case).</summary>
    public string? OneOf(DocumentNode? node, IReadOnlyCollection<string> names)
    {
        if (String(node) is not { } text)
        {
            return null;
        }

        if (names.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var suggestion = Closest(text, names);
        Error(node!, $"must be one of {string.Join(", ", names)}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
        return null;
    }

    public void Required(DocumentFields fields, string key, string what)
    {
        if (fields.Get(key) is null)
        {
            Error(DocumentPath.Key(fields.Node.Path, key), fields.Node.Line, $"is required: {what}");
        }
    }

    private static string Describe(DocumentNode node) => node is ScalarNode { Text: { } } scalar && scalar.Kind != ScalarKind.Null ? "something else" : node.KindName;

    private static string Format(double value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>The known name at the smallest edit distance, when it is close enough to be a misspelling.</summary>
    private static string? Closest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = EditDistance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
