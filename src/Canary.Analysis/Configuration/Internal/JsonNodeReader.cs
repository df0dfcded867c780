using System.Text.Json;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>Reads a JSON text into document nodes (comments and trailing commas allowed, duplicate keys refused).</summary>
internal static class JsonNodeReader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    public static DocumentNode? Read(string text, string origin, List<PolicyDocumentError> errors)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            return Convert(document.RootElement, "", origin, errors);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } n ? checked((int)n + 1) : 0;
            errors.Add(new PolicyDocumentError(origin, "", line, null, $"is not valid JSON: {e.Message}"));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // A lone surrogate: in the text, it cannot be transcoded for the parser; escaped (\udfff), a string cannot be read.
            errors.Add(new PolicyDocumentError(origin, "", 0, null, $"is not valid JSON: {e.Message}"));
            return null;
        }
    }

    private static DocumentNode Convert(JsonElement element, string path, string origin, List<PolicyDocumentError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, DocumentNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = DocumentPath.Key(path, property.Name);
                    if (!seen.Add(property.Name))
                    {
                        errors.Add(new PolicyDocumentError(origin, childPath, 0, null, "is given twice"));
                        continue;
                    }

                    entries.Add(new(property.Name, Convert(property.Value, childPath, origin, errors)));
                }

                return new MappingNode(path, 0, entries);

            case JsonValueKind.Array:
                var items = new List<DocumentNode>();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Convert(item, DocumentPath.Index(path, i++), origin, errors));
                }

                return new SequenceNode(path, 0, items);

            case JsonValueKind.String:
                return new ScalarNode(path, 0, element.GetString(), ScalarKind.String);
            case JsonValueKind.Number:
                return new ScalarNode(path, 0, element.GetRawText(), ScalarKind.Number);
            case JsonValueKind.True or JsonValueKind.False:
                return new ScalarNode(path, 0, element.GetRawText(), ScalarKind.Boolean);
            default:
                return new ScalarNode(path, 0, null, ScalarKind.Null);
        }
    }
}
