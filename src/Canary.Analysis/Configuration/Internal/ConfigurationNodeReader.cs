using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>
/// Reads a configuration section into document nodes: a section whose children are keyed 0, 1, 2… is a list, any other
/// section with children a mapping, a value an untyped scalar (configuration has no types: numbers and booleans are read
/// from text, as the binder would). Paths use the document's dots, under the section's own path.
/// </summary>
internal static class ConfigurationNodeReader
{
    public static DocumentNode Read(IConfiguration section, string path)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            var value = (section as IConfigurationSection)?.Value;
            return new ScalarNode(path, 0, value, string.IsNullOrEmpty(value) ? ScalarKind.Null : ScalarKind.Plain);
        }

        if (IsList(children))
        {
            var items = children
                .OrderBy(c => int.Parse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture))
                .Select((child, i) => Read(child, DocumentPath.Index(path, i)))
                .ToList();
            return new SequenceNode(path, 0, items);
        }

        return new MappingNode(path, 0, children.Select(child => new KeyValuePair<string, DocumentNode>(child.Key, Read(child, DocumentPath.Key(path, child.Key)))).ToList());
    }

    private static bool IsList(List<IConfigurationSection> children)
    {
        var indexes = new List<int>(children.Count);
        foreach (var child in children)
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || child.Key != index.ToString(CultureInfo.InvariantCulture))
            {
                return false;
            }

            indexes.Add(index);
        }

        indexes.Sort();
        return indexes.Select((index, i) => index == i).All(x => x);
    }
}
