namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>Collects an import's findings, each naming the origin, the source object (<see cref="Source"/>) and the path.</summary>
internal sealed class FindingCollector(string origin)
{
    public string Origin { get; } = origin;

    /// <summary>Gets or sets the object being read, <c>Kind/name</c>.</summary>
    public string Source { get; set; } = "";

    public List<ImportFinding> Items { get; } = [];

    public void Error(string path, string message) => Add(ImportSeverity.Error, path, message);

    public void Warning(string path, string message) => Add(ImportSeverity.Warning, path, message);

    public void Info(string path, string message) => Add(ImportSeverity.Info, path, message);

    public void Add(ImportSeverity severity, string path, string message) => Items.Add(new ImportFinding(severity, Origin, Source, path, message));
}
