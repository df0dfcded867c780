using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Canary.Analysis.Gate;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Xunit.Abstractions;

namespace Canary.Analysis.IntegrationTests.Samples;

/// <summary>
/// The CI gate (samples/gate/gate.cs and gate.csx, both over <see cref="CanaryGate"/>) against a real Prometheus holding a
/// baseline and three canaries (good, bad, too sparse): every exit code, the reports, <c>--wait</c>; the real
/// <c>dotnet run --file gate.cs</c> path once; and gate.csx compiled and run with Roslyn scripting.
/// </summary>
public sealed class GateTests(GateTests.GateServer server, ITestOutputHelper log) : IClassFixture<GateTests.GateServer>, IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string At = GateServer.DataEnd.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private readonly string _directory = Directory.CreateTempSubdirectory("canary-gate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [PrometheusTheory]
    [InlineData("good", 0, "Pass")]
    [InlineData("bad", 1, "Fail")]
    [InlineData("sparse", 3, "Inconclusive")]
    public async Task OneLook_ExitCodeFollowsTheVerdict_OfBothChecks(string canary, int exitCode, string verdict)
    {
        var (code, output, error) = await Run(Arguments(canary));
        Assert.True(exitCode == code, $"exit {code}\n{output}\n{error}");
        Assert.Contains(" success-rate: " + verdict, output, StringComparison.Ordinal);
        Assert.Contains(" sequential-error-rate: " + verdict, output, StringComparison.Ordinal);
        Assert.Contains($"(exit {exitCode})", output, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task GoodCanary_BothChecksPass_AndTheFourReportsAreWritten()
    {
        var reports = Path.Combine(_directory, "reports");
        var (code, output, _) = await Run([.. Arguments("good"), "--report", reports, "--name", "web gate"]);
        Assert.Equal(0, code);
        Assert.Contains("sequential-error-rate: Pass", output, StringComparison.Ordinal);
        foreach (var file in new[] { "report.json", "summary.md", "junit.xml", "report.html" })
        {
            Assert.True(new FileInfo(Path.Combine(reports, file)).Length > 0, file);
        }

        var json = await File.ReadAllTextAsync(Path.Combine(reports, "report.json"));
        Assert.Contains("\"web gate\"", json, StringComparison.Ordinal);
        Assert.Contains("/api/pay", json, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task BadCanary_Report_NamesTheFailingEndpoint()
    {
        var reports = Path.Combine(_directory, "bad");
        var (code, _, _) = await Run([.. Arguments("bad"), "--report", reports]);
        Assert.Equal(1, code);
        var junit = await File.ReadAllTextAsync(Path.Combine(reports, "junit.xml"));
        Assert.Contains("<failure", junit, StringComparison.Ordinal);
        Assert.Contains("/api/pay", junit, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task Weights_LeaveAnEndpointOut()
    {
        // The bad canary's errors are on /api/pay only: with all the weight on /api/search it passes the success-rate check.
        var weights = Path.Combine(_directory, "search-only.json");
        await File.WriteAllTextAsync(weights, """{"/api/search": 1, "/api/pay": 0}""");
        var (code, output, _) = await Run(["--prometheus", server.Address.ToString(), "--canary", "version=\"bad\"", "--at", At, "--window", "15m", "--weights", weights]);
        Assert.True(code == 0, output);
    }

    [PrometheusTheory]
    [InlineData("good", 0)]
    [InlineData("bad", 1)]
    [InlineData("sparse", 3)]
    public async Task Wait_LooksEveryIntervalUntilADecisionOrTheTimeout(string canary, int exitCode)
    {
        // From 5 minutes into the data, a look every minute for at most 20 minutes (the data is in the past: no real waiting).
        var start = GateServer.DataStart.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var (code, output, error) = await Run([.. Arguments(canary, window: "5m", at: start), "--wait", "--interval", "1m", "--timeout", "20m"]);
        Assert.True(exitCode == code, $"exit {code}\n{output}\n{error}");
        var looks = Regex.Count(output, "sequential-error-rate:");
        if (canary == "sparse")
        {
            Assert.Equal(21, looks); // every look of the 20 minutes, then Inconclusive
            Assert.Contains("no decision before the timeout", output, StringComparison.Ordinal);
        }
        else
        {
            Assert.InRange(looks, 1, 20);
        }
    }

    [Theory]
    [InlineData("--window", "15x", "--window '15x'")]
    [InlineData("--at", "yesterday", "--at 'yesterday'")]
    [InlineData("--min-success-rate", "95", "--min-success-rate '95'")]
    [InlineData("--min-requests", "-1", "--min-requests '-1'")]
    [InlineData("--convention", "nginx-plus", "--convention 'nginx-plus'")]
    [InlineData("--canary", "version=canary", "--canary 'version=canary'")]
    [InlineData("--prometheus", "prometheus:9090", "--prometheus 'prometheus:9090'")]
    [InlineData("--weights", "/nonexistent/weights.json", "--weights '/nonexistent/weights.json'")]
    [InlineData("--bogus", "1", "'--bogus'")]
    public async Task BadArguments_ExitTwo_NamingTheArgumentAndItsValue(string name, string value, string expected)
    {
        var arguments = new List<string> { "--prometheus", "http://127.0.0.1:1/", "--canary", "version=\"canary\"" };
        var index = arguments.IndexOf(name);
        if (index >= 0)
        {
            arguments[index + 1] = value;
        }
        else
        {
            arguments.AddRange([name, value]);
        }

        var (code, output, error) = await Run(arguments);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData("[0.4]", "JSON object")]
    [InlineData("{\"/api/pay\": \"high\"}", "'/api/pay'")]
    [InlineData("{\"/api/pay\": -1}", "'/api/pay'")]
    [InlineData("{\"/api/pay\": 0}", "no endpoint a positive weight")]
    [InlineData("{\"/api/pay\": 0.4,", "not valid JSON")]
    public async Task BadWeightsFile_ExitsTwo(string json, string expected)
    {
        var weights = Path.Combine(_directory, "weights.json");
        await File.WriteAllTextAsync(weights, json);
        var (code, _, error) = await Run(["--prometheus", "http://127.0.0.1:1/", "--canary", "version=\"canary\"", "--weights", weights]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--wait")]
    [InlineData("--timeout", "5m")]
    [InlineData("--canary", "version=\"a\"", "--canary", "version=\"b\"")]
    [InlineData("--prometheus")]
    [InlineData("--baseline", "version=\"b\"", "--window", "2d")]
    [InlineData("--baseline", "version=\"b\"", "--interval", "100ms")]
    public async Task InconsistentArguments_ExitTwo(params string[] extra)
    {
        var (code, _, error) = await Run(["--prometheus", "http://127.0.0.1:1/", .. extra.Length > 0 && extra[0] == "--canary" ? extra : ["--canary", "version=\"c\"", .. extra]]);
        Assert.Equal(2, code);
        Assert.StartsWith("gate: usage error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachablePrometheus_ExitsFour_WithTheQueryInTheMessage_AndAnErrorInTheReports()
    {
        var reports = Path.Combine(_directory, "unreachable");
        var (code, output, error) = await Run(["--prometheus", "http://127.0.0.1:1/", "--canary", "version=\"good\"", "--baseline", "version=\"baseline\"", "--at", At, "--report", reports]);
        Assert.Equal(4, code);
        Assert.Contains("provider error", error, StringComparison.Ordinal);
        Assert.Contains("version=\"good\"", error, StringComparison.Ordinal);
        Assert.Contains("gate: ProviderError — Provider error: ", output, StringComparison.Ordinal);
        var junit = await File.ReadAllTextAsync(Path.Combine(reports, "junit.xml"));
        Assert.Contains("<error ", junit, StringComparison.Ordinal);
        Assert.DoesNotContain("<failure", junit, StringComparison.Ordinal);
        var json = await File.ReadAllTextAsync(Path.Combine(reports, "report.json"));
        Assert.Contains("\"status\": \"Error\"", json, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task PrometheusAnsweringWithAnError_ExitsFour()
    {
        // A real Prometheus refusing the query (a window too short for its lookback at this resolution is fine; an
        // unknown path is not): the API prefix points at a path Prometheus answers 404 for.
        var (code, _, error) = await Run(["--prometheus", new Uri(server.Address, "nothing-here/").ToString(), "--canary", "version=\"good\"", "--at", At]);
        Assert.Equal(4, code);
        Assert.Contains("provider error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryArgumentAndTheExitCodes()
    {
        var (code, output, _) = await Run(["--help"]);
        Assert.Equal(0, code);
        foreach (var argument in new[] { "--prometheus", "--canary", "--baseline", "--convention", "--window", "--at", "--weights", "--min-success-rate", "--min-requests", "--report", "--wait", "--timeout", "--interval" })
        {
            Assert.Contains(argument + " ", output, StringComparison.Ordinal);
        }

        Assert.Contains("0 pass, 1 fail, 2 usage error, 3 inconclusive, 4 provider error", output, StringComparison.Ordinal);
    }

    /// <summary>The real path users run: <c>dotnet run --file samples/gate/gate.cs -- …</c> (builds the app; the slow one).</summary>
    [PrometheusFact]
    public async Task DotnetRunFile_GateCs_ExitsWithTheVerdict()
    {
        var gate = Path.Combine(RepositoryRoot(), "samples", "gate", "gate.cs");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        // The test's own configuration, whose build of the library is up to date: only the three-line app is compiled.
        foreach (var argument in (string[])["run", "--file", gate, "-c", Configuration, "--", .. Arguments("bad")])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}\n{await output}\n{await error}");
        Assert.Contains("success-rate: Fail", await output, StringComparison.Ordinal);
    }

    /// <summary>gate.csx compiles and runs as dotnet-script would run it: its <c>#r "nuget:"</c> line resolved to this build of the library.</summary>
    [Fact]
    public async Task GateCsx_CompilesAndRuns_WithArgs()
    {
        var path = Path.Combine(RepositoryRoot(), "samples", "gate", "gate.csx");
        var code = await File.ReadAllTextAsync(path);
        var reference = Regex.Match(code, "^#r \"nuget: Canary\\.Analysis, (?<version>[^\"]+)\"\\r?$", RegexOptions.Multiline);
        Assert.True(reference.Success, "gate.csx has no #r \"nuget: Canary.Analysis, <version>\" line");
        Assert.Equal(LibraryVersion(), reference.Groups["version"].Value);

        var options = ScriptOptions.Default
            .WithFilePath(path)
            .AddReferences(typeof(CanaryGate).Assembly)
            .AddImports("System", "System.IO", "System.Linq", "System.Threading.Tasks");
        var script = CSharpScript.Create<int>(code.Replace(reference.Value, "// " + reference.Value, StringComparison.Ordinal), options, typeof(ScriptArgs));
        var diagnostics = script.Compile();
        Assert.Empty(diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));

        Assert.Equal(2, (await script.RunAsync(new ScriptArgs(["--window", "x"]))).ReturnValue);
        Assert.Equal(4, (await script.RunAsync(new ScriptArgs(["--prometheus", "http://127.0.0.1:1/", "--canary", "version=\"c\"", "--at", At]))).ReturnValue);
    }

    /// <summary>gate.cs documents the package line users put in place of <c>#:project</c>, at the library's version.</summary>
    [Fact]
    public async Task GateCs_DocumentsThePackageAtTheLibrarysVersion()
    {
        var code = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "samples", "gate", "gate.cs"));
        Assert.Contains("#:project ../../src/Canary.Analysis/Canary.Analysis.csproj", code, StringComparison.Ordinal);
        Assert.Contains("#:package Canary.Analysis@" + LibraryVersion(), code, StringComparison.Ordinal);
    }

    private string[] Arguments(string canary, string window = "15m", string? at = null) =>
    [
        "--prometheus", server.Address.ToString(), "--canary", $"version=\"{canary}\"", "--baseline", "version=\"baseline\"",
        "--convention", "prometheus-net", "--window", window, "--at", at ?? At, "--weights", GateServer.WeightsFile,
        "--min-success-rate", "0.95", "--min-requests", "50",
    ];

    private async Task<(int Code, string Output, string Error)> Run(IReadOnlyList<string> arguments)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CanaryGate.RunAsync(arguments, output, error);
        log.WriteLine($"gate {string.Join(' ', arguments)}\n{output}{error}exit {code}");
        return (code, output.ToString(), error.ToString());
    }

    private static string LibraryVersion() =>
        Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Canary.Analysis", "Canary.Analysis.csproj")), "<Version>(?<v>[^<]+)</Version>").Groups["v"].Value;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Canary.Analysis.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Canary.Analysis.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The globals dotnet-script gives a script: <c>Args</c>.</summary>
    public sealed class ScriptArgs(IList<string> args)
    {
        public IList<string> Args { get; } = args;
    }

    /// <summary>
    /// 30 minutes of prometheus-net request counters (<c>http_request_duration_seconds_count</c>, labels endpoint and code)
    /// scraped every 15 s: a baseline and a good canary at 100 req/s per endpoint with 0.13 % errors, a bad canary with 20 %
    /// errors on /api/pay, and a sparse canary with one request a minute. The weights file gives /api/pay 0.4, /api/search 0.2.
    /// </summary>
    public sealed class GateServer : OpenMetricsPrometheusFixture
    {
        internal static readonly DateTimeOffset DataStart = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        internal static readonly DateTimeOffset DataEnd = DataStart.AddMinutes(30);
        internal static readonly string WeightsFile = WriteWeights();

        protected override DateTimeOffset ReadinessTime => DataEnd;

        protected override string ReadinessQuery => "count(http_request_duration_seconds_count)";

        protected override string BuildOpenMetrics()
        {
            // Requests and errors per 15 s scrape, per endpoint.
            var versions = new (string Version, long Ok, long PayErrors, long SearchErrors, int Every)[]
            {
                ("baseline", 1500, 2, 2, 1), ("good", 1500, 2, 2, 1), ("bad", 1200, 300, 2, 1), ("sparse", 1, 0, 0, 4),
            };
            var text = new StringBuilder("# TYPE http_request_duration_seconds_count unknown\n");
            foreach (var (version, ok, payErrors, searchErrors, every) in versions)
            {
                foreach (var (endpoint, code, increment) in new[] { ("/api/pay", "200", ok), ("/api/pay", "500", payErrors), ("/api/search", "200", ok), ("/api/search", "500", searchErrors) })
                {
                    for (var k = 0; k <= 120; k++)
                    {
                        var value = increment * (k / every);
                        var time = DataStart.AddSeconds(15 * k).ToUnixTimeSeconds();
                        text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_count{{version=\"{version}\",endpoint=\"{endpoint}\",code=\"{code}\"}} {value} {time}\n");
                    }
                }
            }

            return text.Append("# EOF\n").ToString();
        }

        private static string WriteWeights()
        {
            var path = Path.Combine(Path.GetTempPath(), "canary-gate-weights.json");
            File.WriteAllText(path, """{"/api/pay": 0.4, "/api/search": 0.2}""");
            return path;
        }
    }
}
