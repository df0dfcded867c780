using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>Reads a YAML text into document nodes (YamlDotNet's representation model: no reflection, AOT-safe).</summary>
internal static class YamlNodeReader
{
    public static DocumentNode? Read(string text, string origin, List<PolicyDocumentError> errors)
    {
        if (Load(text, origin, errors) is not { } stream)
        {
            return null;
        }

        switch (stream.Documents.Count)
        {
            case 0:
                errors.Add(new PolicyDocumentError(origin, "", 0, null, "is empty"));
                return null;
            case > 1:
                errors.Add(new PolicyDocumentError(origin, "", checked((int)stream.Documents[1].RootNode.Start.Line), null, "holds several YAML documents; write one policy per file"));
                return null;
        }

        return Convert(stream.Documents[0].RootNode, "", origin, errors);
    }

    /// <summary>Reads every document of a YAML stream (<c>---</c> separated), as Kubernetes manifests are written; empty documents are skipped.</summary>
    public static IReadOnlyList<DocumentNode> ReadAll(string text, string origin, List<PolicyDocumentError> errors) =>
        Load(text, origin, errors) is { } stream
            ? stream.Documents.Select(d => Convert(d.RootNode, "", origin, errors)).Where(n => n is not ScalarNode { Kind: ScalarKind.Null }).ToList()
            : [];

    private static YamlStream? Load(string text, string origin, List<PolicyDocumentError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
            return stream;
        }
        catch (YamlException e)
        {
            errors.Add(new PolicyDocumentError(origin, "", checked((int)e.Start.Line), null, $"is not valid YAML: {e.InnerException?.Message ?? e.Message}"));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's representation model refuses some malformed streams this way (found by fuzzing the imports).
            errors.Add(new PolicyDocumentError(origin, "", 0, null, $"is not valid YAML: {e.Message}"));
            return null;
        }
        catch (ArgumentException e)
        {
            // The representation model refuses a duplicate key this way.
            errors.Add(new PolicyDocumentError(origin, "", 0, null, $"is not valid YAML: {e.Message}"));
            return null;
        }
    }

    private static DocumentNode Convert(YamlNode node, string path, string origin, List<PolicyDocumentError> errors)
    {
        var line = checked((int)node.Start.Line);
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, DocumentNode>>(mapping.Children.Count);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        errors.Add(new PolicyDocumentError(origin, path, checked((int)keyNode.Start.Line), null, "has a key that is not a plain text"));
                        continue;
                    }

                    var childPath = DocumentPath.Key(path, key);
                    if (!seen.Add(key))
                    {
                        errors.Add(new PolicyDocumentError(origin, childPath, checked((int)keyNode.Start.Line), null, "is given twice"));
                        continue;
                    }

                    entries.Add(new(key, Convert(valueNode, childPath, origin, errors)));
                }

                return new MappingNode(path, line, entries);

            case YamlSequenceNode sequence:
                var items = new List<DocumentNode>(sequence.Children.Count);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    items.Add(Convert(sequence.Children[i], DocumentPath.Index(path, i), origin, errors));
                }

                return new SequenceNode(path, line, items);

            case YamlScalarNode scalar:
                return new ScalarNode(path, line, scalar.Value, KindOf(scalar));

            default:
                errors.Add(new PolicyDocumentError(origin, path, line, null, $"is a YAML node of an unsupported kind ({node.NodeType})"));
                return new ScalarNode(path, line, null, ScalarKind.Null);
        }
    }

    private static ScalarKind KindOf(YamlScalarNode scalar)
    {
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return ScalarKind.String;
        }

        return scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? ScalarKind.Null : ScalarKind.Plain;
    }
}
