using Canary.Analysis.Analysis;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>A check declared in a document, read and validated: its name, kind, where it was declared, and how to build it.</summary>
internal sealed record CheckSpec(string Name, string Kind, string Path, Func<CheckBuildContext, IAnalysisCheck> Create);
