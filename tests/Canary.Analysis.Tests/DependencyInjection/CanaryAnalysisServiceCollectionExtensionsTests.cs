using System.Net;
using System.Text;
using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Tests.Metrics.Datadog;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Flurl.Http;
using Flurl.Http.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Analysis.Tests.DependencyInjection;

/// <summary>
/// <c>AddCanaryAnalysis</c> resolved from a real <see cref="ServiceProvider"/>; HTTP is faked by Flurl's
/// <see cref="HttpTest"/> (which intercepts inside the Flurl client, so also the factory's client) or by a primary
/// handler of the named client.
/// </summary>
public sealed class CanaryAnalysisServiceCollectionExtensionsTests
{
    private const string VectorJson = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"path":"/pay","status_code":"200"},"value":[1767225300,"95"]},
          {"metric":{"path":"/pay","status_code":"500"},"value":[1767225300,"5"]}]}}
        """;

    private static readonly DateTimeOffset End = DateTimeOffset.FromUnixTimeSeconds(1767225300);

    private static readonly Uri Address = new("http://prometheus:9090");

    private static string? Header(FlurlCall call, string name) =>
        call.HttpRequestMessage.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public void AddCanaryAnalysis_NullServices_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(null!));

        Assert.Equal("services", ex.ParamName);
    }

    [Fact]
    public void AddCanaryAnalysisWithName_NullServices_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(null!, "eu"));

        Assert.Equal("services", ex.ParamName);
    }

    [Fact]
    public void AddPrometheus_NullBuilder_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => PrometheusCanaryAnalysisBuilderExtensions.AddPrometheus(null!));

        Assert.Equal("builder", ex.ParamName);
    }

    [Fact]
    public void AddDatadog_NullBuilder_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => DatadogCanaryAnalysisBuilderExtensions.AddDatadog(null!));

        Assert.Equal("builder", ex.ParamName);
    }

    [Fact]
    public void AddDatadog_RegistrationAlreadyReadsPrometheus_ThrowsInvalidOperationException()
    {
        var services = new ServiceCollection();
        var builder = services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        var before = services.Count;

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddDatadog(TestOptions.Datadog));

        Assert.Equal(
            "The registration (the default one) already reads Prometheus; it cannot also read Datadog. Add a named registration (AddCanaryAnalysis(\"name\")) for a second backend.",
            ex.Message);
        Assert.Equal(before, services.Count);
    }

    [Fact]
    public void AddPrometheus_NamedRegistrationAlreadyReadsDatadog_ThrowsInvalidOperationException()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis("dd").AddDatadog(TestOptions.Datadog);

        var ex = Assert.Throws<InvalidOperationException>(() => services.AddCanaryAnalysis("dd").AddPrometheus());

        Assert.StartsWith("The registration 'dd' already reads Datadog; it cannot also read Prometheus.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCanaryAnalysisWithName_WhiteSpaceName_ThrowsArgumentException()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentException>(() => services.AddCanaryAnalysis(" "));

        Assert.Equal("name", ex.ParamName);
        Assert.Equal("The registration name must not be white space only; it was ' '. Use null or \"\" for the default registration. (Parameter 'name')", ex.Message);
        Assert.Empty(services);
    }

    [Fact]
    public async Task AddPrometheus_NullNameAndConfigure_RegistersTheDefaultConfiguredElsewhere()
    {
        var services = new ServiceCollection();
        var builder = services.AddCanaryAnalysis(name: null).AddPrometheus();
        services.Configure<PrometheusBackendOptions>(o => o.Prometheus.Address = Address);
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.RespondWith(VectorJson);

        await provider.GetRequiredService<IMetricProvider>().QueryAsync("up", End);

        Assert.Equal(string.Empty, builder.Name);
        Assert.Same(services, builder.Services);
        Assert.Equal("Canary.Analysis", builder.HttpClient.Name);
        Assert.Equal("http://prometheus:9090/api/v1/query", Assert.Single(http.CallLog).Request.Url.ToString());
    }

    [Fact]
    public async Task AddCanaryAnalysis_Prometheus_ProviderQueriesTheConfiguredAddressWithItsAuthentication()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o =>
        {
            o.Prometheus.Address = new Uri("https://mimir.example.com/prometheus/");
            o.Prometheus.BearerToken = "token-1";
            o.Prometheus.TenantId = "team-a";
        });
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.RespondWith(VectorJson);

        var metrics = provider.GetRequiredService<IMetricProvider>();
        var result = await metrics.QueryAsync("up", End);

        Assert.IsType<PrometheusMetricProvider>(metrics);
        Assert.Same(metrics, provider.GetRequiredService<IMetricProvider>());
        var call = Assert.Single(http.CallLog);
        Assert.Equal("https://mimir.example.com/prometheus/api/v1/query", call.Request.Url.ToString());
        Assert.Equal("Bearer token-1", Header(call, "Authorization"));
        Assert.Equal("team-a", Header(call, "X-Scope-OrgID"));
        Assert.Equal(2, result.Series.Count);
    }

    [Fact]
    public async Task AddCanaryAnalysis_Prometheus_TrafficSourceSendsOneGroupedQueryOfTheConfiguredConvention()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o =>
        {
            o.Prometheus.Address = Address;
            o.Prometheus.Username = "canary";
            o.Prometheus.Password = "s3cret";
            o.Convention = TrafficConvention.ExpressPromBundle;
        });
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.RespondWith(VectorJson);

        var source = provider.GetRequiredService<ITrafficSource>();
        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(5)));

        Assert.Same(TrafficConvention.ExpressPromBundle, Assert.IsType<PrometheusTrafficSource>(source).Convention);
        var call = Assert.Single(http.CallLog);
        Assert.Equal("http://prometheus:9090/api/v1/query", call.Request.Url.ToString());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("canary:s3cret")), Header(call, "Authorization"));
        Assert.StartsWith("query=", call.RequestBody, StringComparison.Ordinal);
        Assert.Equal(
            "sum by (path, status_code) (increase(http_request_duration_seconds_count{version=\"canary\"}[300s]))",
            WebUtility.UrlDecode(call.RequestBody!.Split('&')[0]["query=".Length..]));
        var pay = Assert.Single(snapshot.Endpoints).Value;
        Assert.Equal(("/pay", 100d, 95d), (pay.Endpoint, pay.Requests, pay.Successes));
    }

    [Fact]
    public async Task AddCanaryAnalysisWithName_TwoRegistrations_ResolveKeyedServicesWithTheirOwnAddresses()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        var eu = services.AddCanaryAnalysis("eu").AddPrometheus(o => o.Prometheus.Address = new Uri("http://prometheus.eu:9090"));
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.RespondWith(VectorJson).RespondWith(VectorJson).RespondWith(VectorJson);

        var euMetrics = provider.GetRequiredKeyedService<IMetricProvider>("eu");
        await euMetrics.QueryAsync("up", End);
        await provider.GetRequiredService<IMetricProvider>().QueryAsync("up", End);
        await provider.GetRequiredKeyedService<ITrafficSource>("eu").ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5)));

        Assert.Equal("eu", eu.Name);
        Assert.Equal("Canary.Analysis:eu", eu.HttpClient.Name);
        Assert.NotSame(euMetrics, provider.GetRequiredService<IMetricProvider>());
        Assert.Same(provider.GetRequiredService<IMetricProvider>(), provider.GetRequiredKeyedService<IMetricProvider>(null));
        Assert.Equal(
            ["http://prometheus.eu:9090/api/v1/query", "http://prometheus:9090/api/v1/query", "http://prometheus.eu:9090/api/v1/query"],
            http.CallLog.Select(c => c.Request.Url.ToString()));
    }

    [Fact]
    public void AddCanaryAnalysisWithName_OnlyNamed_LeavesUnkeyedServicesUnregistered()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis("eu").AddPrometheus(o => o.Prometheus.Address = Address);
        using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IMetricProvider>());
        Assert.Null(provider.GetService<ITrafficSource>());
        Assert.NotNull(provider.GetKeyedService<ITrafficSource>("eu"));
    }

    [Fact]
    public async Task AddCanaryAnalysis_CalledTwiceWithOneName_CombinesTheConfigurationsAndRegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.BearerToken = "token-2");
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.RespondWith(VectorJson);

        await provider.GetRequiredService<IMetricProvider>().QueryAsync("up", End);

        Assert.Single(services, d => d.ServiceType == typeof(IMetricProvider));
        Assert.Single(services, d => d.ServiceType == typeof(ITrafficSource));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PrometheusBackendOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        var call = Assert.Single(http.CallLog);
        Assert.Equal(("http://prometheus:9090/api/v1/query", "Bearer token-2"), (call.Request.Url.ToString(), Header(call, "Authorization")));
    }

    [Fact]
    public async Task AddCanaryAnalysis_ProviderRegisteredBefore_KeepsItAndTheTrafficSourceReadsThroughIt()
    {
        var recorded = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/pay", "200", 10), ("/pay", "503", 2)));
        var services = new ServiceCollection();
        services.AddSingleton<IMetricProvider>(recorded);
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        using var provider = services.BuildServiceProvider();

        var snapshot = await provider.GetRequiredService<ITrafficSource>().ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(1)));

        Assert.Same(recorded, provider.GetRequiredService<IMetricProvider>());
        Assert.Equal("sum by (endpoint, code) (increase(http_request_duration_seconds_count{}[60s]))", Assert.Single(recorded.Queries).Query);
        Assert.Equal((12d, 10d), (snapshot.TotalRequests, snapshot.TotalSuccesses));
    }

    [Fact]
    public async Task HttpClient_PrimaryHandlerReplaced_ProviderSendsThroughTheNamedClientEvenAfterAnotherCall()
    {
        using var handler = new StubHandler(VectorJson);
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address)
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.TenantId = "team-a");
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IMetricProvider>().QueryAsync("up", End);

        Assert.Equal(["POST http://prometheus:9090/api/v1/query X-Scope-OrgID=team-a"], handler.Requests);
        Assert.Equal(95, result.Series[0].Samples[0].Value);
    }

    [Fact]
    public void AddCanaryAnalysis_NoTimeProviderRegistered_RegistersTheSystemClock()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        using var provider = services.BuildServiceProvider();

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddCanaryAnalysis_FakeTimeProviderRegisteredBefore_DatadogRateLimitWaitRunsOnIt()
    {
        var clock = new SignallingFakeTimeProvider(End);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddCanaryAnalysis().AddDatadog(TestOptions.Datadog);
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("errors-429.json"), 429, new { X_RateLimit_Reset = "7" });
        http.RespondWith(DatadogFixture.Read("v2-scalar-ungrouped.json"));

        var query = provider.GetRequiredService<IMetricProvider>().QueryAsync("avg:x{*}", End);
        var wait = await clock.TimerCreated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(6));
        var completedEarly = query.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await query.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
        Assert.Equal(TimeSpan.FromSeconds(7), wait);
        Assert.False(completedEarly);
        Assert.Equal(2, http.CallLog.Count);
        Assert.Equal(0.25, result.Series[0].Samples[0].Value);
    }

    [Fact]
    public void AddCanaryAnalysis_FakeTimeProviderRegisteredAfter_IsTheOneResolved()
    {
        var clock = new FakeTimeProvider(End);
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        services.AddSingleton<TimeProvider>(clock);
        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddCanaryAnalysis_Datadog_ResolvesTheDatadogProviderAndTraceSource()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddDatadog(o =>
        {
            TestOptions.Datadog(o);
            o.Datadog.Site = "datadoghq.eu";
        });
        using var provider = services.BuildServiceProvider();
        using var http = new HttpTest();
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.hits{*").RespondWith(DatadogFixture.Read("trace-hits.json"));
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.errors{*").RespondWith(DatadogFixture.Read("trace-errors.json"));

        var source = provider.GetRequiredService<ITrafficSource>();
        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(15)));

        Assert.IsType<DatadogMetricProvider>(provider.GetRequiredService<IMetricProvider>());
        Assert.Equal("web", Assert.IsType<DatadogTrafficSource>(source).Convention.Service);
        Assert.Equal(2, http.CallLog.Count);
        Assert.All(http.CallLog, call =>
        {
            Assert.Equal("https://api.datadoghq.eu/api/v2/query/scalar", call.Request.Url.ToString());
            Assert.Equal(TestOptions.ApiKey, Header(call, "DD-API-KEY"));
            Assert.Equal(TestOptions.ApplicationKey, Header(call, "DD-APPLICATION-KEY"));
        });
        Assert.Equal((200d, 190d), (snapshot.Endpoints["GET /pay"].Requests, snapshot.Endpoints["GET /pay"].Successes));
    }

    [Fact]
    public void AddCanaryAnalysis_DatadogOverAnotherRegisteredProvider_TrafficSourceThrowsInvalidOperationException()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMetricProvider>(new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End)));
        services.AddCanaryAnalysis().AddDatadog(TestOptions.Datadog);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ITrafficSource>());

        Assert.Equal(
            "CanaryAnalysis:Datadog needs an IMetricProvider that implements IDatadogScalarQuery for its traffic source, but the registered one is a Canary.Analysis.Tests.TestSupport.FakeMetricProvider.",
            ex.Message);
    }

    [Fact]
    public async Task Dispose_ServiceProvider_DisposesTheProviders()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        services.AddCanaryAnalysis("dd").AddDatadog(TestOptions.Datadog);
        var provider = services.BuildServiceProvider();
        var prometheus = provider.GetRequiredService<IMetricProvider>();
        var datadog = provider.GetRequiredKeyedService<IMetricProvider>("dd");

        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => prometheus.QueryAsync("up", End));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => datadog.QueryAsync("avg:x{*}", End));
    }

    [Fact]
    public void AddCanaryAnalysis_InvalidOptions_ResolvingThrowsOptionsValidationException()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = new Uri("foo", UriKind.Relative));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ITrafficSource>());

        Assert.Equal("CanaryAnalysis:Prometheus:Address must be an absolute http or https URL; it was 'foo'.", ex.Message);
        Assert.Equal(string.Empty, ex.OptionsName);
    }

    [Fact]
    public async Task AddCanaryAnalysis_InvalidOptions_HostStartThrowsOptionsValidationException()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddCanaryAnalysis("eu").AddPrometheus(o => o.Prometheus.Address = new Uri("ftp://prometheus.eu/"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("CanaryAnalysis:eu:Prometheus:Address must use http or https; it was 'ftp://prometheus.eu/' (scheme 'ftp').", ex.Message);
        Assert.Equal("eu", ex.OptionsName);
    }

    [Fact]
    public async Task AddCanaryAnalysis_ValidOptions_HostStarts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = Address);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.IsType<PrometheusTrafficSource>(host.Services.GetRequiredService<ITrafficSource>());
    }

    /// <summary>A fake clock that says when the first timer is created and with which due time.</summary>
    private sealed class SignallingFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public TaskCompletionSource<TimeSpan> TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult(dueTime);
            return timer;
        }
    }

    /// <summary>Answers every request with the same Prometheus body and records the requests.</summary>
    private sealed class StubHandler(string body) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                var tenant = request.Headers.TryGetValues("X-Scope-OrgID", out var values) ? string.Join(",", values) : null;
                Requests.Add($"{request.Method} {request.RequestUri} X-Scope-OrgID={tenant}");
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
