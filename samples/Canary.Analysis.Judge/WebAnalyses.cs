using Canary.Analysis.Configuration;

namespace Canary.Analysis.Judge;

/// <summary>
/// One sequential analysis per Argo AnalysisRun (a policy and a key Argo templates, e.g. the rollout and its revision): the
/// policy built once, its checks keeping their evidence from poll to poll. At most <see cref="MaximumAnalyses"/>; one idle
/// for <see cref="IdleExpiry"/> is forgotten. When full, a new key is refused (Argo records an Error measurement) rather
/// than forgetting evidence a running analysis still needs — restarting a sequential test silently would spend its α again.
/// </summary>
internal sealed class WebAnalyses(TimeProvider time)
{
    public const int MaximumAnalyses = 1000;

    public static readonly TimeSpan IdleExpiry = TimeSpan.FromHours(26);

    private readonly Dictionary<(string Policy, string Key), WebAnalysis> _analyses = [];
    private readonly Lock _gate = new();

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Gets the analysis of a key, creating it; null when the judge is full.</summary>
    public WebAnalysis? GetOrCreate(PolicyDocument document, string key, Func<WebAnalysis> create)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var idle in _analyses.Where(a => a.Value.LastPoll + IdleExpiry < now).ToList())
            {
                _analyses.Remove(idle.Key);
                idle.Value.Dispose();
            }

            if (_analyses.TryGetValue((document.Name, key), out var analysis))
            {
                return analysis;
            }

            if (_analyses.Count >= MaximumAnalyses)
            {
                return null;
            }

            analysis = create();
            _analyses[(document.Name, key)] = analysis;
            return analysis;
        }
    }
}

/// <summary>A policy's checks for one AnalysisRun, polled one look at a time.</summary>
internal sealed class WebAnalysis(IReadOnlyList<PolicyCheck> checks, string scopes, DateTimeOffset created) : IDisposable
{
    private readonly SemaphoreSlim _oneLookAtATime = new(1, 1);

    public IReadOnlyList<PolicyCheck> Checks => checks;

    /// <summary>Gets what the analysis reads (its scopes), so a key reused with other scopes is refused.</summary>
    public string Scopes => scopes;

    public DateTimeOffset LastPoll { get; private set; } = created;

    public void Dispose() => _oneLookAtATime.Dispose();

    public int Looks { get; private set; }

    /// <summary>Runs one look of the checks (of one step, or all) at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<JudgedCheck>> LookAsync(IReadOnlyList<PolicyCheck> selected, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _oneLookAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LastPoll = now;
            Looks++;
            var results = new List<JudgedCheck>();
            foreach (var check in selected)
            {
                results.Add(JudgedCheck.Of(null, check.Name, await check.Check.MeasureAsync(now, cancellationToken).ConfigureAwait(false), Looks));
            }

            return results;
        }
        finally
        {
            _oneLookAtATime.Release();
        }
    }
}
