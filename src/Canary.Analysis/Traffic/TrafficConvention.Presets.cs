namespace Canary.Analysis.Traffic;

/// <content>The presets: app exporters, meshes and ingresses.</content>
public sealed partial record TrafficConvention
{
    /// <summary>
    /// Gets prometheus-net.AspNetCore's convention: <c>http_request_duration_seconds_count</c> with labels
    /// <c>endpoint</c> and <c>code</c> (full codes, or <c>2xx</c>/<c>5xx</c> with <c>ReduceStatusCodeCardinality()</c>).
    /// </summary>
    public static TrafficConvention PrometheusNet { get; } = App("prometheus-net", histogram: "http_request_duration_seconds", endpointLabel: "endpoint", statusLabel: "code");

    /// <summary>
    /// Gets express-prom-bundle's (prom-client) convention: <c>http_request_duration_seconds_count</c> with labels
    /// <c>path</c> and <c>status_code</c>.
    /// </summary>
    public static TrafficConvention ExpressPromBundle { get; } = App("express-prom-bundle", histogram: "http_request_duration_seconds", endpointLabel: "path", statusLabel: "status_code");

    /// <summary>
    /// Gets OpenTelemetry's HTTP server metrics as the Prometheus exporter (or the OTel Collector's) writes them:
    /// <c>http_server_request_duration_seconds</c> (from <c>http.server.request.duration</c>) with labels <c>http_route</c>
    /// and <c>http_response_status_code</c>; success = 2xx, as for the other app presets.
    /// </summary>
    /// <remarks>
    /// Source: OpenTelemetry semantic conventions for HTTP metrics (stable), translated to Prometheus names
    /// (dots to underscores, unit suffix <c>_seconds</c>). Flagger has no builtin for it. Servers on older
    /// instrumentation (<c>http.server.duration</c> in ms) need <c>with { RequestCountMetric = …, LatencyUnit = LatencyUnit.Milliseconds }</c>.
    /// </remarks>
    public static TrafficConvention OpenTelemetry { get; } = App("opentelemetry", histogram: "http_server_request_duration_seconds", endpointLabel: "http_route", statusLabel: "http_response_status_code");

    /// <summary>
    /// Gets Istio's standard metrics: <c>istio_requests_total</c> with <c>reporter="destination"</c>, status label
    /// <c>response_code</c>, latency <c>istio_request_duration_milliseconds</c> (ms); success = not 5xx. Istio has no
    /// endpoint label by default, so the whole service is one endpoint; when a <c>request_path</c> (or similar) label was
    /// added with the Telemetry API, use <c>TrafficConvention.Istio with { EndpointLabel = "request_path" }</c>.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>istio</c> queries (<c>response_code!~"5.*"</c> over all, <c>reporter="destination"</c>).
    /// Deliberate difference: <c>response_code="0"</c> (no response, a reset) is a failure here; Flagger's regex counts it
    /// as a success. Select the workload with the caller's selector, e.g.
    /// <c>destination_workload_namespace="shop",destination_workload="web-canary"</c>.
    /// </remarks>
    public static TrafficConvention Istio { get; } = Proxy("istio", requests: "istio_requests_total", statusLabel: "response_code", histogram: "istio_request_duration_milliseconds", LatencyUnit.Milliseconds)
        with { RequestSelector = Only("reporter", "destination"), LatencySelector = Only("reporter", "destination") };

    /// <summary>
    /// Gets Linkerd's proxy metrics: <c>response_total</c> with <c>direction="inbound"</c>, status label
    /// <c>classification</c> (<c>success</c>/<c>failure</c>, mapped through <see cref="StatusValueClasses"/>), latency
    /// <c>response_latency_ms</c> (ms). No endpoint label: the whole workload is one endpoint.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>linkerd</c> queries (success = <c>classification!="failure"</c>). Here <c>success</c> is
    /// a success and <c>failure</c> a server error; another value (none exists today) would count as a failure, where
    /// Flagger would count it as a success. Per-route data needs ServiceProfiles: <c>route_response_total</c> with
    /// endpoint label <c>rt_route</c>, e.g. <c>Linkerd with { RequestCountMetric = "route_response_total", EndpointLabel = "rt_route", … }</c>.
    /// </remarks>
    public static TrafficConvention Linkerd { get; } = Proxy("linkerd", requests: "response_total", statusLabel: "classification", histogram: "response_latency_ms", LatencyUnit.Milliseconds) with
    {
        StatusValueClasses = new Dictionary<string, StatusClass>(StringComparer.Ordinal)
        {
            ["success"] = StatusClass.Success,
            ["failure"] = StatusClass.ServerError,
        },
        RequestSelector = Only("direction", "inbound"),
        LatencySelector = Only("direction", "inbound"),
    };

    /// <summary>
    /// Gets Envoy's cluster statistics, used by App Mesh, Contour, Gloo, Kuma and Knative: <c>envoy_cluster_upstream_rq</c>
    /// with status label <c>envoy_response_code</c>, latency <c>envoy_cluster_upstream_rq_time</c> (ms); success = not 5xx.
    /// No endpoint label: the selected cluster(s) are one endpoint.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>appmesh</c>, <c>contour</c>, <c>gloo</c>, <c>kuma</c> and <c>knative</c> queries, which share
    /// metric, status rule and histogram and differ only in the selector, which the caller passes, e.g. Contour's
    /// <c>envoy_cluster_name=~"shop_web-canary_[0-9a-zA-Z-]+"</c> or Kuma's <c>service=~"web-canary_shop_svc_[0-9a-zA-Z-]+"</c>.
    /// Deliberate difference: a status that is not an HTTP code is a failure (Flagger's <c>!~"5.*"</c> passes it).
    /// </remarks>
    public static TrafficConvention Envoy { get; } = Proxy("envoy", requests: "envoy_cluster_upstream_rq", statusLabel: "envoy_response_code", histogram: "envoy_cluster_upstream_rq_time", LatencyUnit.Milliseconds);

    /// <summary>
    /// Gets the NGINX ingress controller's metrics: <c>nginx_ingress_controller_requests</c> with status label
    /// <c>status</c>, endpoint label <c>path</c> (the Ingress rule's path, not the raw URL, so its cardinality is bounded),
    /// latency <c>nginx_ingress_controller_response_duration_seconds</c> (s); success = not 5xx.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>nginx</c> queries (<c>status!~"5.*"</c>; latency is the mean <c>_sum / _count</c> of the
    /// response-duration histogram: read it as <see cref="LatencyHistogram.Mean"/>; the same buckets also give
    /// quantiles). Deliberate difference: Flagger reads the whole ingress as one ratio; here each path is an endpoint
    /// (use <c>with { EndpointLabel = null }</c> for Flagger's view). Flagger's selector was
    /// <c>namespace="shop",ingress="web",canary!=""</c>.
    /// </remarks>
    public static TrafficConvention NginxIngress { get; } = Proxy("nginx-ingress", requests: "nginx_ingress_controller_requests", statusLabel: "status", histogram: "nginx_ingress_controller_response_duration_seconds")
        with { EndpointLabel = "path" };

    /// <summary>
    /// Gets Traefik's service metrics: requests are the <c>+Inf</c> bucket of
    /// <c>traefik_service_request_duration_seconds</c> (<see cref="RequestSelector"/> <c>le="+Inf"</c>), status label
    /// <c>code</c>, the same histogram for latency (s); success = not 5xx. No endpoint label: the selected Traefik
    /// service is one endpoint.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>traefik</c> queries (both terms with <c>le="+Inf"</c>, <c>code!~"5.."</c>); the caller's
    /// selector is Flagger's <c>service=~"shop-web-canary-[0-9a-zA-Z-]+@kubernetescrd"</c>. Traefik's
    /// <c>traefik_service_requests_total</c> counter holds the same counts: <c>with { RequestCountMetric = "traefik_service_requests_total", RequestSelector = LabelSelector.Empty }</c>.
    /// </remarks>
    public static TrafficConvention Traefik { get; } = Proxy("traefik", requests: "traefik_service_request_duration_seconds_bucket", statusLabel: "code", histogram: "traefik_service_request_duration_seconds")
        with { RequestSelector = Only("le", "+Inf") };

    /// <summary>
    /// Gets Skipper's metrics: requests are the <c>+Inf</c> bucket of <c>skipper_response_duration_seconds</c>, status
    /// label <c>code</c>, latency <c>skipper_serve_route_duration_seconds</c> (s); success = not 5xx. No endpoint label:
    /// the selected routes are one endpoint (canary and primary route ids differ, so they cannot pair up per route).
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>skipper</c> queries (<c>le="+Inf"</c>, <c>code!~"5.."</c>, selector
    /// <c>route=~"kube(ew)?_shop__web_canary__.*__web_canary(_[0-9]+)?"</c>). Flagger's latency is the mean
    /// <c>_sum / _count</c> of <c>skipper_serve_route_duration_seconds</c> (<see cref="LatencyHistogram.Mean"/> here).
    /// </remarks>
    public static TrafficConvention Skipper { get; } = Proxy("skipper", requests: "skipper_response_duration_seconds_bucket", statusLabel: "code", histogram: "skipper_serve_route_duration_seconds")
        with { RequestSelector = Only("le", "+Inf") };

    /// <summary>
    /// Gets Apache APISIX's Prometheus plugin metrics: <c>apisix_http_status</c> with status label <c>code</c>, latency
    /// <c>apisix_http_latency</c> with <c>type="request"</c> (ms); success = not 5xx. No endpoint label: the selected
    /// route is one endpoint.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>apisix</c> queries (<c>code!~"5.."</c>; latency with <c>type=~"request"</c>, written here as
    /// the equivalent <c>type="request"</c>); the caller's selector is Flagger's <c>route=~"shop_web-web-canary_.+"</c>.
    /// </remarks>
    public static TrafficConvention Apisix { get; } = Proxy("apisix", requests: "apisix_http_status", statusLabel: "code", histogram: "apisix_http_latency", LatencyUnit.Milliseconds)
        with { LatencySelector = Only("type", "request") };

    /// <summary>
    /// Gets Open Service Mesh's metrics: <c>osm_request_total</c> with status label <c>response_code</c>, latency
    /// <c>osm_request_duration_ms</c> (ms); success = not 5xx. No endpoint label.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's builtin <c>osm</c> queries; the caller's selector is Flagger's
    /// <c>destination_namespace="shop",destination_kind="Deployment",destination_name="web-canary"</c>.
    /// Deliberate difference: <c>response_code="0"</c> is a failure.
    /// </remarks>
    public static TrafficConvention Osm { get; } = Proxy("osm", requests: "osm_request_total", statusLabel: "response_code", histogram: "osm_request_duration_ms", LatencyUnit.Milliseconds);

    /// <summary>
    /// Gets the app-metrics shape Flagger expects for its <c>kubernetes</c> and <c>gatewayapi</c> providers:
    /// <c>http_request_duration_seconds_count</c> with status label <c>status</c>, latency
    /// <c>http_request_duration_seconds</c> (s); success = not 5xx. No endpoint label (Flagger's queries have none); set
    /// <c>with { EndpointLabel = "path" }</c> (or <c>handler</c>, <c>route</c>) when the app exports one.
    /// </summary>
    /// <remarks>
    /// Source: Flagger's <c>http.go</c> observer (<c>status!~"5.*"</c>, selector
    /// <c>kubernetes_namespace="shop",kubernetes_pod_name=~"web-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"</c>).
    /// </remarks>
    public static TrafficConvention Kubernetes { get; } = Proxy("kubernetes", requests: "http_request_duration_seconds_count", statusLabel: "status", histogram: "http_request_duration_seconds");

    /// <summary>Gets every preset, each under its kebab-case <see cref="Name"/> (<c>prometheus-net</c>, <c>istio</c>, …), as policy documents name them.</summary>
    public static IReadOnlyList<TrafficConvention> Presets =>
        [PrometheusNet, ExpressPromBundle, OpenTelemetry, Istio, Linkerd, Envoy, NginxIngress, Traefik, Skipper, Apisix, Osm, Kubernetes];

    /// <summary>Finds a preset by its name.</summary>
    /// <param name="name">The preset's kebab-case name, e.g. <c>express-prom-bundle</c>.</param>
    /// <returns>The preset, or null when no preset has that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static TrafficConvention? FindPreset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Presets.FirstOrDefault(preset => string.Equals(preset.Name, name, StringComparison.Ordinal));
    }

    // An app exporter's preset: a histogram whose _count counts the requests, an endpoint label, success = 2xx, seconds.
    private static TrafficConvention App(string name, string histogram, string endpointLabel, string statusLabel) => new()
    {
        Name = name,
        RequestCountMetric = histogram + "_count",
        EndpointLabel = endpointLabel,
        StatusLabel = statusLabel,
        LatencyHistogramMetric = histogram,
    };

    // A proxy's, mesh's or ingress's preset (Flagger's builtins): no endpoint label, success = not 5xx.
    private static TrafficConvention Proxy(string name, string requests, string statusLabel, string histogram, LatencyUnit unit = LatencyUnit.Seconds) => new()
    {
        Name = name,
        RequestCountMetric = requests,
        StatusLabel = statusLabel,
        SuccessRule = SuccessRule.Non5xx,
        LatencyHistogramMetric = histogram,
        LatencyUnit = unit,
    };

    private static LabelSelector Only(string name, string value) => LabelSelector.Of(LabelMatcher.Equal(name, value));
}
