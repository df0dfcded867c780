using System.Text;
using System.Text.Json;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// Finds a property name given twice in one JSON object, at any depth. System.Text.Json reads such a key as "last wins"
/// unless <c>JsonDocumentOptions.AllowDuplicateProperties = false</c> (.NET 10 on), so the readers of responses and
/// recordings call this on the targets without that option: a repeated key is ambiguous evidence, never silently resolved.
/// </summary>
internal static class JsonDuplicateKeys
{
    /// <summary>
    /// The options the readers parse with: a depth of 64 and, from .NET 10, a repeated key rejected by the runtime (a key
    /// given twice is ambiguous); before .NET 10 the readers call <see cref="Find(JsonElement)"/> instead.
    /// </summary>
#if NET10_0_OR_GREATER
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };
#else
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };
#endif

    /// <summary>Returns where the first repeated key is (<c>$.a[0].b: "key"</c>), or null when every object's keys are distinct.</summary>
    /// <remarks>Keys are compared after unescaping, ordinally. A key escaping a lone surrogate throws <see cref="InvalidOperationException"/>.</remarks>
    public static string? Find(JsonElement element)
    {
        var path = new StringBuilder("$");
        return Find(element, path);
    }

    private static string? Find(JsonElement element, StringBuilder path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!seen.Add(property.Name))
                    {
                        return $"{path}: \"{property.Name}\"";
                    }

                    var length = path.Length;
                    path.Append('.').Append(property.Name);
                    if (Find(property.Value, path) is { } found)
                    {
                        return found;
                    }

                    path.Length = length;
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var length = path.Length;
                    path.Append('[').Append(index++).Append(']');
                    if (Find(item, path) is { } found)
                    {
                        return found;
                    }

                    path.Length = length;
                }

                return null;
            default:
                return null;
        }
    }
}
