using Canary.Analysis.Configuration.Internal;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>Reads an import's input with the policy documents' readers; input that is not YAML (or JSON) is refused the same way.</summary>
internal static class ImportInput
{
    public static IReadOnlyList<DocumentNode> ReadYaml(string text, string origin)
    {
        var errors = new List<PolicyDocumentError>();
        var roots = YamlNodeReader.ReadAll(text, origin, errors);
        return errors.Count > 0 ? throw new PolicyDocumentException(errors) : roots;
    }

    public static DocumentNode ReadJson(string text, string origin)
    {
        var errors = new List<PolicyDocumentError>();
        var root = JsonNodeReader.Read(text, origin, errors);
        return errors.Count > 0 || root is null ? throw new PolicyDocumentException(errors) : root;
    }

    public static PolicyDocumentException Refuse(string origin, string message) => new([new PolicyDocumentError(origin, "", 0, null, message)]);
}
