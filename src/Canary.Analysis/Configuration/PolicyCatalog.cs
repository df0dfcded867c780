using Canary.Analysis.Configuration.Internal;
using Microsoft.Extensions.Configuration;

namespace Canary.Analysis.Configuration;

/// <summary>
/// The policies a host runs, by name: read from a directory of policy documents (one per file) or from configuration. Every
/// error of every policy is reported at once (<see cref="PolicyDocumentException"/>), each naming its file or configuration
/// path, the field and the value.
/// </summary>
public sealed class PolicyCatalog
{
    private readonly Dictionary<string, PolicyDocument> _byName;

    private PolicyCatalog(IReadOnlyList<PolicyDocument> documents)
    {
        Documents = documents;
        _byName = documents.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets the policies, in the order they were read (files by name, configuration in its order).</summary>
    public IReadOnlyList<PolicyDocument> Documents { get; }

    /// <summary>Gets a policy by its name.</summary>
    /// <param name="name">The policy's name (<c>metadata.name</c>, or its key in configuration).</param>
    /// <returns>The policy.</returns>
    /// <exception cref="KeyNotFoundException">No policy has that name; the message lists the names.</exception>
    public PolicyDocument this[string name] => _byName.TryGetValue(name, out var document)
        ? document
        : throw new KeyNotFoundException($"No policy is named '{name}'; the policies are {(Documents.Count == 0 ? "none" : string.Join(", ", _byName.Keys))}.");

    /// <summary>Reads every policy document in a directory: files ending in <c>.yaml</c>, <c>.yml</c> or <c>.json</c>, one policy each.</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="PolicyDocumentException">A document is invalid, or two name the same policy: every error of every file.</exception>
    public static PolicyCatalog LoadDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var files = Directory.GetFiles(directory)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".yaml" or ".yml" or ".json")
            .Order(StringComparer.Ordinal);
        return Collect(files.Select<string, Func<PolicyDocument>>(file => () => PolicyDocument.Load(file)));
    }

    /// <summary>
    /// Reads policies from configuration: <c>policies</c> maps each policy's name to its document (as in a file, where
    /// <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> may be left out), and <c>source</c> is the source of every policy
    /// that names none. Field names ignore case, as configuration keys do.
    /// </summary>
    /// <param name="configuration">The section (e.g. <c>configuration.GetSection("CanaryAnalysis")</c>).</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="PolicyDocumentException">A policy is invalid, or the section holds something else: every error, by configuration path.</exception>
    public static PolicyCatalog FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var origin = configuration is IConfigurationSection section ? $"configuration '{section.Path}'" : "configuration";
        var binder = new NodeBinder(origin, StringComparer.OrdinalIgnoreCase);
        var root = binder.Fields(ConfigurationNodeReader.Read(configuration, ""), "source", "policies");
        if (root is null)
        {
            throw new PolicyDocumentException(binder.Errors);
        }

        var documents = new List<PolicyDocument>();
        var source = PolicyDocumentReader.ReadSource(binder, root.Get("source"));
        if (binder.Mapping(root.Get("policies")) is { } policies)
        {
            foreach (var (name, node) in policies.Entries)
            {
                var errors = binder.Errors.Count;
                if (PolicyDocumentReader.Read(node, binder, impliedName: name, sharedSource: source) is { } spec && binder.Errors.Count == errors)
                {
                    documents.Add(PolicyDocument.From(spec, origin));
                }
            }
        }

        if (binder.Errors.Count > 0)
        {
            throw new PolicyDocumentException(binder.Errors);
        }

        return Collect(documents.Select<PolicyDocument, Func<PolicyDocument>>(d => () => d));
    }

    /// <summary>
    /// Reads a configuration section's shared <c>source</c>, what of it is valid (<see cref="FromConfiguration"/> reports the
    /// errors): a misspelt convention does not also hide a valid address.
    /// </summary>
    internal static SourceSpec ReadSharedSource(IConfiguration configuration) =>
        PolicyDocumentReader.ReadSource(new NodeBinder("configuration", StringComparer.OrdinalIgnoreCase), ConfigurationNodeReader.Read(configuration.GetSection("source"), "source"));

    private static PolicyCatalog Collect(IEnumerable<Func<PolicyDocument>> reads)
    {
        var errors = new List<PolicyDocumentError>();
        var documents = new List<PolicyDocument>();
        foreach (var read in reads)
        {
            try
            {
                var document = read();
                if (documents.Find(d => d.Name == document.Name) is { } first)
                {
                    errors.Add(new PolicyDocumentError(document.Origin, "metadata.name", 0, document.Name, $"names the same policy as {first.Origin}"));
                    continue;
                }

                documents.Add(document);
            }
            catch (PolicyDocumentException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        return errors.Count > 0 ? throw new PolicyDocumentException(errors) : new PolicyCatalog(documents);
    }
}
