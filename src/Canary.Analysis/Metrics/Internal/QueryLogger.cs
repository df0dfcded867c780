using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Where a provider's queries are logged, and under which backend's name.</summary>
internal readonly record struct QueryLogger(ILogger Logger, string Backend);
