using System.Globalization;
using System.Text;
using Canary.Analysis.Configuration.Internal;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>Reads a source object's nodes leniently: a missing or mistyped field is null, and the importer reports what it cannot use.</summary>
internal static class SourceNodes
{
    public static DocumentNode? Child(this DocumentNode? node, string key)
    {
        foreach (var (name, value) in node.Entries())
        {
            if (name == key)
            {
                return value is ScalarNode { Kind: ScalarKind.Null } ? null : value;
            }
        }

        return null;
    }

    public static DocumentNode? At(this DocumentNode? node, params string[] keys) => keys.Aggregate(node, (current, key) => current.Child(key));

    public static string? Text(this DocumentNode? node) => node is ScalarNode { Kind: not ScalarKind.Null, Text: { Length: > 0 } text } ? text : null;

    public static double? Number(this DocumentNode? node) =>
        double.TryParse(node.Text(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    public static int? Integer(this DocumentNode? node) =>
        int.TryParse(node.Text(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static bool IsTrue(this DocumentNode? node) => node.Text() is "true" or "True" or "TRUE";

    public static IReadOnlyList<DocumentNode> Items(this DocumentNode? node) => node is SequenceNode sequence ? sequence.Items : [];

    public static IReadOnlyList<KeyValuePair<string, DocumentNode>> Entries(this DocumentNode? node) => node is MappingNode mapping ? mapping.Entries : [];

    /// <summary>The path of a field of <paramref name="node"/>, whether or not it is there.</summary>
    public static string PathOf(this DocumentNode node, string key) => DocumentPath.Key(node.Path, key);

    /// <summary>Reports every field of <paramref name="node"/> the importer does not read.</summary>
    public static void ReportOthers(this DocumentNode? node, FindingCollector findings, ImportSeverity severity, string message, params string[] read)
    {
        foreach (var (key, value) in node.Entries())
        {
            if (!read.Contains(key, StringComparer.Ordinal))
            {
                findings.Add(severity, value.Path, message);
            }
        }
    }

    /// <summary>A name as documents write them: lower case letters, digits and dashes (<c>"5xx rate"</c> → <c>5xx-rate</c>).</summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().TrimEnd('-');
        return result.Length == 0 ? "check" : result;
    }
}
