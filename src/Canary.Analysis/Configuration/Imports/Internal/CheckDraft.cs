namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>A check the import will write: its name, kind and fields (values already written as YAML scalars).</summary>
internal sealed record CheckDraft(string Name, string Kind, IReadOnlyList<KeyValuePair<string, string>> Fields);
