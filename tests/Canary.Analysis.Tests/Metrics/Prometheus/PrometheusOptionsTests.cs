using Canary.Analysis.Metrics.Prometheus;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

public sealed class PrometheusOptionsTests
{
    private static PrometheusOptions Valid() => new() { Address = new Uri("http://prometheus:9090") };

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new PrometheusOptions();

        Assert.Null(options.Address);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(64L * 1024 * 1024, options.MaxResponseBytes);
        Assert.True(options.UsePost);
        Assert.Empty(options.Headers);
        Assert.Null(options.BearerToken);
        Assert.Null(options.Username);
        Assert.Null(options.Password);
        Assert.Null(options.TenantId);
    }

    [Fact]
    public void Validate_ValidOptions_DoesNotThrow()
    {
        var options = Valid();
        options.Username = "u";
        options.Password = "p";
        options.TenantId = "t";
        options.Headers["X-Api-Key"] = "k";

        options.Validate();
        Assert.True(new PrometheusOptionsValidator().Validate(null, options).Succeeded);
    }

    public static TheoryData<Action<PrometheusOptions>, string> InvalidCases => new()
    {
        { o => o.Address = null, "PrometheusOptions.Address is required (the Prometheus base URL, e.g. http://prometheus:9090/); it was null." },
        { o => o.Address = new Uri("/prometheus", UriKind.Relative), "PrometheusOptions.Address must be an absolute http or https URL; it was '/prometheus'." },
        { o => o.Address = new Uri("ftp://prometheus:9090/"), "PrometheusOptions.Address must use http or https; it was 'ftp://prometheus:9090/' (scheme 'ftp')." },
        { o => o.Address = new Uri("http://prometheus:9090/?x=1"), "PrometheusOptions.Address must not have a query string or fragment (query strings often carry tokens; use PrometheusOptions.Headers); it was 'http://prometheus:9090/?***'." },
        { o => o.Address = new Uri("http://admin:hunter2@prometheus:9090/"), "PrometheusOptions.Address must not carry credentials (they would not be sent); set PrometheusOptions.Username/PrometheusOptions.Password or PrometheusOptions.BearerToken instead; it was 'http://***@prometheus:9090/'." },
        { o => o.Timeout = TimeSpan.Zero, "PrometheusOptions.Timeout must be positive; it was 00:00:00." },
        { o => o.Timeout = TimeSpan.FromSeconds(-5), "PrometheusOptions.Timeout must be positive; it was -00:00:05." },
        { o => o.MaxResponseBytes = 0, "PrometheusOptions.MaxResponseBytes must be positive; it was 0." },
        { o => o.MaxResponseBytes = -1, "PrometheusOptions.MaxResponseBytes must be positive; it was -1." },
        { o => o.Password = "secret", "PrometheusOptions.Password is set but PrometheusOptions.Username is null; basic authentication needs a user name." },
        {
            o =>
            {
                o.BearerToken = "token";
                o.Username = "user";
            },
            "PrometheusOptions.BearerToken and PrometheusOptions.Username/Password are both set; choose bearer or basic authentication."
        },
        { o => o.BearerToken = "", "PrometheusOptions.BearerToken must not be empty when set; it was ''." },
        { o => o.Username = "a:b", "PrometheusOptions.Username must not contain ':' (basic authentication separator); it was 'a:b'." },
        { o => o.TenantId = "", "PrometheusOptions.TenantId must be a non-empty header value of printable ASCII without control characters; it was ''." },
        { o => o.TenantId = "a\nb", "PrometheusOptions.TenantId must be a non-empty header value of printable ASCII without control characters; it was 'a?b'." },
        { o => o.Headers["Bad Name"] = "v", "PrometheusOptions.Headers has an invalid header name 'Bad Name': a name is a non-empty RFC 7230 token (letters, digits and !#$%&'*+-.^_`|~; no spaces, colons or control characters)." },
        { o => o.BearerToken = "tok\r\nX-Injected: 1", "PrometheusOptions.BearerToken contains control or non-ASCII characters (a CR or LF would inject headers); value not shown." },
        { o => { o.Username = "user"; o.Password = "pa\nss"; }, "PrometheusOptions.Password contains control or non-ASCII characters (a CR or LF would inject headers); value not shown." },
        { o => o.MaxConnectionsPerServer = 0, "PrometheusOptions.MaxConnectionsPerServer must be between 1 and 1024; it was 0." },
        { o => o.Headers["X-Ok"] = "v\r\nInjected: 1", "PrometheusOptions.Headers['X-Ok'] contains control or non-ASCII characters (a CR or LF would inject headers); value not shown." },
        {
            o =>
            {
                o.BearerToken = "token";
                o.Headers["authorization"] = "Bearer other";
            },
            "PrometheusOptions.Headers['Authorization'] conflicts with PrometheusOptions.BearerToken/Username; set only one."
        },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_InvalidOptions_ThrowsNamingFieldAndValue(Action<PrometheusOptions> breakIt, string expected)
    {
        var options = Valid();
        breakIt(options);

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("options", ex.ParamName);
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validator_InvalidOptions_FailsWithSameMessage(Action<PrometheusOptions> breakIt, string expected)
    {
        var options = Valid();
        breakIt(options);

        var result = new PrometheusOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.Failures!);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Constructor_InvalidOptions_ThrowsNamingField(Action<PrometheusOptions> breakIt, string expected)
    {
        var options = Valid();
        breakIt(options);

        var ex = Assert.Throws<ArgumentException>(() => new PrometheusMetricProvider(options));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SecretsInvalid_NeverPrintsThem()
    {
        var options = Valid();
        options.BearerToken = "very-secret-token";
        options.Password = "very-secret-password";
        options.Username = "user";
        options.Headers["Authorization"] = "Basic very-secret-header";

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.DoesNotContain("very-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAll()
    {
        var options = new PrometheusOptions { Timeout = TimeSpan.Zero, MaxResponseBytes = 0 };

        var result = new PrometheusOptionsValidator().Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains("Address", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Timeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxResponseBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_NullOptions_Fails()
    {
        var result = new PrometheusOptionsValidator().Validate(null, null!);

        Assert.True(result.Failed);
    }

    [Fact]
    public void Validator_WithOptionsPipeline_ThrowsOptionsValidationException()
    {
        var options = new OptionsFactory<PrometheusOptions>(
            [new ConfigureOptions<PrometheusOptions>(o => o.Timeout = TimeSpan.Zero)],
            [],
            [new PrometheusOptionsValidator()]);

        var ex = Assert.Throws<OptionsValidationException>(() => options.Create(Options.DefaultName));

        Assert.Contains("PrometheusOptions.Timeout must be positive; it was 00:00:00.", ex.Failures);
    }

    [Fact]
    public void Validate_InfiniteTimeout_IsAllowed()
    {
        var options = Valid();
        options.Timeout = Timeout.InfiniteTimeSpan;

        options.Validate();
    }
}
