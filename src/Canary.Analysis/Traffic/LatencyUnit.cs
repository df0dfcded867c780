namespace Canary.Analysis.Traffic;

/// <summary>The unit a stack's latency histogram is recorded in; snapshots always hold seconds.</summary>
public enum LatencyUnit
{
    /// <summary>Seconds (Prometheus' convention: <c>*_seconds_bucket</c>).</summary>
    Seconds,

    /// <summary>Milliseconds (Istio, Linkerd, Envoy: <c>*_milliseconds_bucket</c>, <c>*_ms_bucket</c>).</summary>
    Milliseconds,
}
