using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Reports;
using Canary.Analysis.Tests.TestSupport;
using static Canary.Analysis.Tests.Reports.ReportFixtures;

namespace Canary.Analysis.Tests.Reports;

public sealed partial class HtmlReportTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Html_IsSelfContained_WithTheThreeCharts_AndEscapedLabels()
    {
        var html = HtmlReportWriter.Write(await HostileRolloutAsync());

        // Nothing that could fetch: no URL, no src/href, no script, no stylesheet link, no CSS url(), no @import (once the
        // escaped label's text and the schema's name, both text, are left out).
        var fetching = html.Replace("&lt;img src=http://127.0.0.1:9/x.png&gt;", string.Empty, StringComparison.Ordinal)
            .Replace("(http://127.0.0.1:9/)", string.Empty, StringComparison.Ordinal).Replace($"schema {CanaryReport.SchemaUri};", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotMatch(FetchingSyntax(), fetching);
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"weights\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"evidence\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"endpoints\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("/api/&lt;script&gt;alert(1)&lt;/script&gt;|`x` &amp; &quot;q&quot; &#39;a&#39; &lt;img src=http://127.0.0.1:9/x.png&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
    }

    [Fact]
    public void SequentialRow_ShowsRatesWithoutLimit_AndItsEvidenceAgainstItsBoundary()
    {
        var html = HtmlReportWriter.Write(CanaryReport.FromResults("gate", Start, [Sequential()]));

        Assert.Contains("<th>Limit</th><th>Evidence</th></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">0.75</td><td class=\"n\">0.9947</td><td class=\"n\">40 %</td><td class=\"n\">n/a</td><td class=\"n\">evidence 9.171E+04 / boundary 555.6</td></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Judgement_HasItsChecksCharts_AndNoWeightTimeline()
    {
        var html = HtmlReportWriter.Write(CanaryReport.FromResults("gate", Start, [Fail(Rows(payRate: 0.75)), Inconclusive()]));

        Assert.Contains("Canary judgement <code>gate</code>", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Failed\"", html, StringComparison.Ordinal);
        Assert.Equal(2, Count(html, "data-chart=\"evidence\""));
        Assert.Equal(1, Count(html, "data-chart=\"endpoints\""));
        Assert.DoesNotContain("data-chart=\"weights\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_RendersTheReport_WithItsCharts_AndTheLabelsAsText_WithoutAnyNetworkRequest()
    {
        using var directory = ExternalTool.TempDirectory();
        var page = Path.Combine(directory, "report.html");
        await File.WriteAllTextAsync(page, HtmlReportWriter.Write(await HostileRolloutAsync()));
        var control = Path.Combine(directory, "control.html");
        await File.WriteAllTextAsync(control, "<!DOCTYPE html><html><body><img src=\"http://canary-report-control.invalid/x.png\"></body></html>");

        // Chromium sends every request through this proxy, which answers 502 and keeps the request lines (GET http://host/…, CONNECT host:443).
        await using var proxy = new LoopbackHttpServer(_ => new LoopbackResponse(502, string.Empty));
        var address = proxy.Address.GetLeftPart(UriPartial.Authority);
        var (exit, dom, error) = await ExternalTool.RunAsync(Chromium, [.. Headless(directory, address), "--dump-dom", new Uri(page).AbsoluteUri]);
        Assert.True(exit == 0, error);
        var (controlExit, _, controlError) = await ExternalTool.RunAsync(Chromium, [.. Headless(directory, address), "--dump-dom", new Uri(control).AbsoluteUri]);
        Assert.True(controlExit == 0, controlError);
        var pageRequests = proxy.Requests.Select(r => r.Target).Where(t => !IsBrowserService(t)).ToList();

        // The DOM Chromium built: the charts are SVG with their marks, the hostile label is text (no element came of it).
        Assert.Equal(3, SvgChart().Matches(dom).Select(m => m.Groups[1].Value).Distinct().Count());
        Assert.True(Count(dom, "<svg ") >= 3);
        Assert.True(Count(dom, "<circle class=\"look ") >= 3);
        Assert.True(Count(dom, "<rect class=\"canary\"") >= 1);
        Assert.Contains("<polyline class=\"requested\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=http://127.0.0.1:9/x.png&gt;", dom, StringComparison.Ordinal);

        // The control proves the proxy sees a page's requests; the report made none.
        Assert.Contains(pageRequests, r => r.Contains("canary-report-control.invalid", StringComparison.Ordinal));
        Assert.DoesNotContain(pageRequests, r => !r.Contains("canary-report-control.invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chromium_TakesAScreenshotOfTheReport()
    {
        using var directory = ExternalTool.TempDirectory();
        var page = Path.Combine(directory, "report.html");
        var png = Path.Combine(directory, "report.png");
        await File.WriteAllTextAsync(page, HtmlReportWriter.Write(Report(await RunAsync([Inconclusive(Rows()), Pass(Rows()), Fail(Rows(payRate: 0.75))]))));

        var (exit, _, error) = await ExternalTool.RunAsync(Chromium, [.. Headless(directory, proxy: null), "--hide-scrollbars", "--window-size=900,1400", $"--screenshot={png}", new Uri(page).AbsoluteUri]);

        Assert.True(exit == 0, error);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal((900, 1400), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        Assert.True(bytes.Length > 20_000, $"A {bytes.Length}-byte screenshot is too small to show the report.");
    }

    private static async Task<CanaryReport> HostileRolloutAsync() => Report(await RunAsync(
    [
        Inconclusive(Rows()),
        Pass([.. Rows(), Row(HostileLabel, EndpointStatus.Judged, 0.98, 0.99)]),
        Fail([.. Rows(payRate: 0.75), Row(HostileLabel, EndpointStatus.LimitBreached, 0.5, 0.99)]),
    ]));

    private static string[] Headless(string directory, string? proxy) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", $"--user-data-dir={Path.Combine(directory, "chromium-profile")}",
        .. proxy is null ? Array.Empty<string>() : [$"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>"],
    ];

    /// <summary>
    /// Whether a request target is one of Chromium's own background calls to Google's services (time, component updates,
    /// accounts), which it makes whatever page it renders.
    /// </summary>
    private static bool IsBrowserService(string target)
    {
        var host = Uri.TryCreate(target.Contains("://", StringComparison.Ordinal) ? target : "https://" + target, UriKind.Absolute, out var uri) ? uri.Host : target;
        return new[] { ".google.com", ".googleapis.com", ".gstatic.com", ".gvt1.com" }.Any(h => host.EndsWith(h, StringComparison.OrdinalIgnoreCase));
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;

    [GeneratedRegex("<svg data-chart=\"(\\w+)\"")]
    private static partial Regex SvgChart();

    [GeneratedRegex(@"https?://|\b(src|href|srcset|action)\s*=|url\(|@import|<link|<iframe|<object|<embed", RegexOptions.IgnoreCase)]
    private static partial Regex FetchingSyntax();
}
