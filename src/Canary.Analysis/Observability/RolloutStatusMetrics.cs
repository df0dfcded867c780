using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Policies;
using Canary.Analysis.Policies.Events;
using Prometheus;

namespace Canary.Analysis.Observability;

/// <summary>
/// A rollout's status as Prometheus metrics (prometheus-net), in a registry the host chooses: phase, step, weights, each
/// check's verdict, value and threshold and its evidence against its boundary, the top endpoints by weight (value, limit on
/// the same scale when there is one, requests, weight, and their own evidence against its boundary), the time still
/// needed, and counters of decisions, human commands and provider errors. Every series has the labels <c>rollout</c> and
/// <c>namespace</c> (no timestamp label); the counters start at 0 for every label value; a rollout's series are removed when it ends (unless <see cref="RemoveWhenEnded"/>
/// is false) and when its tracking is disposed.
/// </summary>
/// <remarks>
/// Subscribe a rollout with <see cref="Track(CanaryRollout, string, string)"/> (or, one rollout per policy, <see cref="Track(CanaryRollout, string)"/>); the metrics follow its events (every event carries its decision). Safe to
/// use from several rollouts at once.
/// </remarks>
public sealed class RolloutStatusMetrics
{
    /// <summary>The <c>kind</c> of a measurement that failed without a query error (a check that threw).</summary>
    private const string OtherError = "other";

    private static readonly string[] RolloutLabels = ["rollout", "namespace"];
    private static readonly string[] CheckLabels = ["rollout", "namespace", "analysis", "check"];
    private static readonly string[] EndpointLabels = ["rollout", "namespace", "analysis", "check", "endpoint"];

    private readonly object _lock = new();
    private readonly Gauge _phase;
    private readonly Gauge _step;
    private readonly Gauge _weight;
    private readonly Gauge _verdict;
    private readonly Gauge _checkValue;
    private readonly Gauge _checkThreshold;
    private readonly Gauge _evidence;
    private readonly Gauge _evidenceBoundary;
    private readonly Gauge _endpointValue;
    private readonly Gauge _endpointLimit;
    private readonly Gauge _endpointRequests;
    private readonly Gauge _endpointWeight;
    private readonly Gauge _endpointEvidence;
    private readonly Gauge _endpointEvidenceBoundary;
    private readonly Gauge _timeNeeded;
    private readonly Counter _decisions;
    private readonly Counter _overrides;
    private readonly Counter _providerErrors;

    /// <summary>Creates the metrics in a registry.</summary>
    /// <param name="registry">The registry (the host's: served on its <c>/metrics</c>, or exported).</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public RolloutStatusMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Gauge G(string name, string help, params string[] labels) => factory.CreateGauge(name, help, labels);
        Counter C(string name, string help, params string[] labels) => factory.CreateCounter(name, help, labels);
        _phase = G("canary_rollout_phase", "Where the rollout stands: 1 for its current phase, 0 for the others.", [.. RolloutLabels, "phase"]);
        _step = G("canary_rollout_step", "The index of the rollout's current step (0-based; the step count once promoted).", RolloutLabels);
        _weight = G("canary_rollout_weight_percent", "The canary's weight in percent: requested, and effective (its real share with pod-count splitting).", [.. RolloutLabels, "kind"]);
        _verdict = G("canary_check_verdict", "The check's last measurement: 1 for its verdict, 0 for the others.", [.. CheckLabels, "verdict"]);
        _checkValue = G("canary_check_value", "The check's last value (a success rate 0-1, a latency in seconds, an e-value fraction of its boundary, a p-value).", CheckLabels);
        _checkThreshold = G("canary_check_threshold", "The threshold the check's value is compared with.", CheckLabels);
        _evidence = G("canary_check_evidence", "The check's statistical evidence of a regression: an e-value (fails at or above its boundary) or a p-value (fails at or below it).", [.. CheckLabels, "kind"]);
        _evidenceBoundary = G("canary_check_evidence_boundary", "The boundary the check's evidence is compared with (1/alpha for an e-value, alpha for a p-value).", [.. CheckLabels, "kind"]);
        _endpointValue = G("canary_endpoint_value", "An endpoint's own value in the check (its success rate, its latency in seconds), top endpoints by weight.", EndpointLabels);
        _endpointLimit = G("canary_endpoint_limit", "An endpoint's own limit in the check, on the scale of its value (a success-rate floor, a latency ceiling in seconds); absent when it has none. Top endpoints by weight.", EndpointLabels);
        _endpointRequests = G("canary_endpoint_requests", "An endpoint's canary requests in the check's window (or so far, for a sequential check), top endpoints by weight.", EndpointLabels);
        _endpointWeight = G("canary_endpoint_weight", "An endpoint's normalised weight in the check (0-1), top endpoints by weight.", EndpointLabels);
        _endpointEvidence = G("canary_endpoint_evidence", "An endpoint's own statistical evidence of a regression in the check (for a sequential check its largest e-value so far), top endpoints by weight.", [.. EndpointLabels, "kind"]);
        _endpointEvidenceBoundary = G("canary_endpoint_evidence_boundary", "The boundary an endpoint's evidence is compared with (for a sequential check 1/(endpoint share x weight x alpha): the endpoint alone crosses there), top endpoints by weight.", [.. EndpointLabels, "kind"]);
        _timeNeeded = G("canary_evidence_time_needed_seconds", "The time still needed at the current traffic for the evidence to decide (the longest among the checks that estimate it).", RolloutLabels);
        _decisions = C("canary_decisions_total", "Decisions that changed something or took measurements, by action.", [.. RolloutLabels, "action"]);
        _overrides = C("canary_manual_overrides_total", "Human commands applied, by action.", [.. RolloutLabels, "action"]);
        _providerErrors = C("canary_provider_errors_total", "Measurements that could not be taken, by kind of error.", [.. RolloutLabels, "kind"]);
    }

    /// <summary>Gets the most endpoints exported per check: those with the largest weights.</summary>
    /// <value>The default value is 10.</value>
    public int MaxEndpoints { get; init; } = 10;

    /// <summary>Gets a value indicating whether a rollout's series are removed when it ends (promoted or rolled back).</summary>
    /// <value>The default value is true; a one-shot export at the end of a run (the demo's <c>--metrics-out</c>) sets false.</value>
    public bool RemoveWhenEnded { get; init; } = true;

    /// <summary>Follows a rollout's status, its <c>rollout</c> label its policy's name (one rollout per policy and namespace).</summary>
    /// <param name="rollout">The rollout.</param>
    /// <param name="namespace">The namespace label (where the rollout runs, e.g. its Kubernetes namespace).</param>
    /// <returns>Disposing it stops following and removes the rollout's series.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public IDisposable Track(CanaryRollout rollout, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return Track(rollout, @namespace, rollout.Policy.Name);
    }

    /// <summary>
    /// Follows a rollout's status under its own name: several rollouts of one policy in one namespace (a host running one per
    /// service release) each keep their series apart.
    /// </summary>
    /// <param name="rollout">The rollout.</param>
    /// <param name="namespace">The namespace label (where the rollout runs, e.g. its Kubernetes namespace).</param>
    /// <param name="name">The <c>rollout</c> label: the rollout's id.</param>
    /// <returns>Disposing it stops following and removes the rollout's series.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public IDisposable Track(CanaryRollout rollout, string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        var series = new RolloutSeries(this, name, @namespace);
        series.Start(rollout.State);
        return new Tracking(series, rollout.Subscribe(series));
    }

    private static string KindLabel(EvidenceKind kind) => kind == EvidenceKind.EValue ? "e-value" : "p-value";

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static void RemoveSeries(Collector collector, string[] labels)
    {
        switch (collector)
        {
            case Gauge gauge:
                gauge.RemoveLabelled(labels);
                break;
            case Counter counter:
                counter.RemoveLabelled(labels);
                break;
        }
    }

    /// <summary>One rollout's series: updated from its events, removed at its end.</summary>
    private sealed class RolloutSeries(RolloutStatusMetrics metrics, string rollout, string @namespace) : IObserver<RolloutEvent>
    {
        private readonly HashSet<(Collector Collector, string[] Labels)> _exported = new(SeriesComparer.Instance);
        private RolloutDecision? _counted;

        public void OnNext(RolloutEvent value)
        {
            lock (metrics._lock)
            {
                if (!ReferenceEquals(_counted, value.Decision))
                {
                    _counted = value.Decision;
                    Count(metrics._decisions, Lower(value.Decision.Action));
                    Update(value.Decision);
                }

                switch (value)
                {
                    case ManualOverrideApplied m:
                        Count(metrics._overrides, Lower(m.Action));
                        break;
                    case ProviderError e:
                        Count(metrics._providerErrors, e.ErrorKind is { } kind ? Lower(kind) : OtherError);
                        break;
                }
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
            if (metrics.RemoveWhenEnded)
            {
                Remove();
            }
        }

        /// <summary>The first values: the state, and every counter at 0 (so an increase is visible from the first one).</summary>
        public void Start(RolloutState state)
        {
            lock (metrics._lock)
            {
                foreach (var action in Enum.GetValues<RolloutAction>())
                {
                    Count(metrics._decisions, Lower(action), 0);
                }

                foreach (var action in Enum.GetValues<ManualAction>())
                {
                    Count(metrics._overrides, Lower(action), 0);
                }

                foreach (var kind in Enum.GetValues<MetricQueryErrorKind>())
                {
                    Count(metrics._providerErrors, Lower(kind), 0);
                }

                Count(metrics._providerErrors, OtherError, 0);
            }

            Update(state);
        }

        public void Update(RolloutState state)
        {
            lock (metrics._lock)
            {
                foreach (var status in Enum.GetValues<RolloutStatus>())
                {
                    Set(metrics._phase, status == state.Status ? 1 : 0, Lower(status));
                }

                Set(metrics._step, state.StepIndex);
                Set(metrics._weight, state.Weight, "requested");
            }
        }

        public void Remove()
        {
            lock (metrics._lock)
            {
                foreach (var (collector, labels) in _exported)
                {
                    RemoveSeries(collector, labels);
                }

                _exported.Clear();
            }
        }

        private void Update(RolloutDecision decision)
        {
            Update(decision.State);
            Set(metrics._weight, decision.EffectiveWeight, "effective");
            if (RolloutEvents.TimeNeeded(decision) is { } needed)
            {
                Set(metrics._timeNeeded, needed.TotalSeconds);
            }
            else
            {
                Drop(metrics._timeNeeded);
            }

            var checks = new HashSet<(Collector, string[])>(SeriesComparer.Instance);
            Checks(decision.StepAnalysis, "step", checks);
            Checks(decision.BackgroundAnalysis, "background", checks);

            // A check that is no longer part of the decision (a completed step's) or an endpoint that left the top: removed.
            foreach (var stale in _exported.Where(s => IsCheckSeries(s.Collector) && !checks.Contains(s)).ToList())
            {
                RemoveSeries(stale.Collector, stale.Labels);
                _exported.Remove(stale);
            }
        }

        private bool IsCheckSeries(Collector collector) =>
            collector == metrics._verdict || collector == metrics._checkValue || collector == metrics._checkThreshold
            || collector == metrics._evidence || collector == metrics._evidenceBoundary || collector == metrics._endpointValue
            || collector == metrics._endpointLimit || collector == metrics._endpointRequests || collector == metrics._endpointWeight
            || collector == metrics._endpointEvidence || collector == metrics._endpointEvidenceBoundary;

        private void Checks(AnalysisRunState? run, string analysis, HashSet<(Collector, string[])> kept)
        {
            foreach (var check in run?.Metrics ?? [])
            {
                if (check.Last is not { } last)
                {
                    continue;
                }

                foreach (var phase in Enum.GetValues<MeasurementPhase>())
                {
                    kept.Add(Set(metrics._verdict, phase == last.Phase ? 1 : 0, analysis, check.Name, Lower(phase)));
                }

                if (last.Evidence is not { } result)
                {
                    if (last.Phase != MeasurementPhase.Error)
                    {
                        kept.Add(Set(metrics._checkValue, last.Value, analysis, check.Name));
                    }

                    continue;
                }

                kept.Add(Set(metrics._checkValue, result.Value, analysis, check.Name));
                kept.Add(Set(metrics._checkThreshold, result.Threshold, analysis, check.Name));
                if (result.EvidenceKind != EvidenceKind.None)
                {
                    var kind = KindLabel(result.EvidenceKind);
                    kept.Add(Set(metrics._evidence, result.EvidenceValue, analysis, check.Name, kind));
                    kept.Add(Set(metrics._evidenceBoundary, result.EvidenceBoundary, analysis, check.Name, kind));
                }

                foreach (var endpoint in result.Endpoints.Where(e => e.Status != EndpointStatus.Excluded).OrderByDescending(e => e.Weight).ThenBy(e => e.Endpoint, StringComparer.Ordinal).Take(metrics.MaxEndpoints))
                {
                    kept.Add(Set(metrics._endpointValue, endpoint.Value, analysis, check.Name, endpoint.Endpoint));
                    kept.Add(Set(metrics._endpointRequests, endpoint.Requests, analysis, check.Name, endpoint.Endpoint));
                    kept.Add(Set(metrics._endpointWeight, endpoint.Weight, analysis, check.Name, endpoint.Endpoint));
                    if (endpoint.Limit is { } limit)
                    {
                        kept.Add(Set(metrics._endpointLimit, limit, analysis, check.Name, endpoint.Endpoint));
                    }

                    if (endpoint.EvidenceKind != EvidenceKind.None && !double.IsNaN(endpoint.EvidenceValue))
                    {
                        var kind = KindLabel(endpoint.EvidenceKind);
                        kept.Add(Set(metrics._endpointEvidence, endpoint.EvidenceValue, analysis, check.Name, endpoint.Endpoint, kind));
                        kept.Add(Set(metrics._endpointEvidenceBoundary, endpoint.EvidenceBoundary, analysis, check.Name, endpoint.Endpoint, kind));
                    }
                }
            }
        }

        private (Collector, string[]) Set(Gauge gauge, double value, params string[] labels)
        {
            var all = Labels(labels);
            gauge.WithLabels(all).Set(value);
            var series = ((Collector)gauge, all);
            _exported.Add(series);
            return series;
        }

        private void Count(Counter counter, string label, double increment = 1)
        {
            var all = Labels([label]);
            counter.WithLabels(all).Inc(increment);
            _exported.Add((counter, all));
        }

        private void Drop(Gauge gauge)
        {
            var all = Labels([]);
            if (_exported.Remove((gauge, all)))
            {
                gauge.RemoveLabelled(all);
            }
        }

        private string[] Labels(string[] labels) => [rollout, @namespace, .. labels];
    }

    /// <summary>Series compare by collector and label values.</summary>
    private sealed class SeriesComparer : IEqualityComparer<(Collector Collector, string[] Labels)>
    {
        public static SeriesComparer Instance { get; } = new();

        public bool Equals((Collector Collector, string[] Labels) x, (Collector Collector, string[] Labels) y) =>
            ReferenceEquals(x.Collector, y.Collector) && x.Labels.AsSpan().SequenceEqual(y.Labels);

        public int GetHashCode((Collector Collector, string[] Labels) obj)
        {
            var hash = default(HashCode);
            hash.Add(obj.Collector);
            foreach (var label in obj.Labels)
            {
                hash.Add(label, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>Disposing stops following the rollout and removes its series.</summary>
    private sealed class Tracking(RolloutSeries series, IDisposable subscription) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                subscription.Dispose();
                series.Remove();
            }
        }
    }
}
