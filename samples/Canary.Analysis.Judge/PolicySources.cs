using System.Collections.Concurrent;
using Canary.Analysis.Configuration;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Judge;

/// <summary>One Prometheus provider and traffic source per policy, from the server and convention its document names.</summary>
internal sealed class PolicySources(PolicyCatalog catalog) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(PrometheusMetricProvider Provider, ITrafficSource Source)>> _sources = new(StringComparer.Ordinal);

    public PolicyCatalog Catalog => catalog;

    /// <summary>Finds a policy by name, or null.</summary>
    public PolicyDocument? Find(string name) => catalog.Documents.FirstOrDefault(d => d.Name == name);

    /// <summary>Gets the traffic source the policy's checks read (its Prometheus server, its convention).</summary>
    public ITrafficSource SourceFor(PolicyDocument document) =>
        _sources.GetOrAdd(document.Name, _ => new(() =>
        {
            var provider = new PrometheusMetricProvider(document.CreatePrometheusOptions());
            return (provider, new PrometheusTrafficSource(provider, document.Convention));
        })).Value.Source;

    public void Dispose()
    {
        foreach (var source in _sources.Values.Where(s => s.IsValueCreated))
        {
            source.Value.Provider.Dispose();
        }
    }
}
