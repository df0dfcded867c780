namespace Canary.Analysis.Traffic;

/// <summary>Which responses count as successful.</summary>
public enum SuccessRule
{
    /// <summary>Only 2xx responses succeed: success rate = 2xx / all, as the problem statement defines it.</summary>
    Status2xx,

    /// <summary>
    /// Every 1xx–4xx response succeeds; 5xx and statuses that are not HTTP classes (such as <c>0</c>, a reset)
    /// fail. The rule of Flagger, Istio and Linkerd dashboards.
    /// </summary>
    Non5xx,
}
