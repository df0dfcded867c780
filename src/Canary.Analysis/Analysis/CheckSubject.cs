namespace Canary.Analysis.Analysis;

/// <summary>What a check judges, as its <see cref="CheckDescription"/> tells the policy linter.</summary>
public enum CheckSubject
{
    /// <summary>Not said: a check that does not describe itself (the linter assumes nothing about it).</summary>
    Unknown,

    /// <summary>Success rates (per endpoint or aggregated).</summary>
    SuccessRate,

    /// <summary>Error rates, usually compared with the baseline's.</summary>
    ErrorRate,

    /// <summary>Latencies (quantiles or means).</summary>
    Latency,

    /// <summary>The value of a query against a threshold.</summary>
    Query,

    /// <summary>Metric series of the canary compared with the baseline's, scored as a whole (a Kayenta-style judge).</summary>
    MetricSeries,

    /// <summary>Objectives on indicator values, scored as a whole (a Keptn-style quality gate).</summary>
    Objectives,
}
