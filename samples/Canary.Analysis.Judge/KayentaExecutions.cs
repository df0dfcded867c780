using System.Collections.Concurrent;

namespace Canary.Analysis.Judge;

/// <summary>A judgement started by <c>POST /canary/{configId}</c>, read by <c>GET /canary/{executionId}</c>.</summary>
internal sealed record KayentaExecution(string Id, string Policy, string? Application, int Pass, int Marginal, DateTimeOffset Started, Task<KayentaJudgement> Judgement);

/// <summary>
/// The executions the judge remembers: at most <see cref="MaximumExecutions"/>, each forgotten <see cref="Retention"/> after
/// it started (Argo reads a result 15 s after starting it). When full, a new judgement is refused (Argo records an Error
/// measurement and retries) rather than forgetting one Argo may still read.
/// </summary>
internal sealed class KayentaExecutions(TimeProvider time)
{
    public const int MaximumExecutions = 1000;

    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, KayentaExecution> _executions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Starts a judgement; null when the judge already holds <see cref="MaximumExecutions"/>.</summary>
    public KayentaExecution? Start(string policy, string? application, int pass, int marginal, Func<Task<KayentaJudgement>> judge)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var old in _executions.Values.Where(e => e.Started + Retention < now && e.Judgement.IsCompleted))
            {
                _executions.TryRemove(old.Id, out _);
            }

            if (_executions.Count >= MaximumExecutions)
            {
                return null;
            }

            var execution = new KayentaExecution(Guid.NewGuid().ToString("N"), policy, application, pass, marginal, now, Task.Run(judge));
            _executions[execution.Id] = execution;
            return execution;
        }
    }

    public KayentaExecution? Find(string id) => _executions.GetValueOrDefault(id);
}
