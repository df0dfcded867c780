namespace Canary.Analysis.Configuration.Internal;

/// <summary>The fields of one mapping, looked up by key.</summary>
internal sealed class DocumentFields(MappingNode node, StringComparer keys)
{
    public MappingNode Node { get; } = node;

    public DocumentNode? Get(string key)
    {
        foreach (var (name, value) in Node.Entries)
        {
            if (keys.Equals(name, key))
            {
                // An explicit null is the same as leaving the field out.
                return value is ScalarNode { Kind: ScalarKind.Null } ? null : value;
            }
        }

        return null;
    }
}
