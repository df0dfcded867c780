using System.Globalization;
using System.Text;
using System.Xml;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Reports.Internal;

namespace Canary.Analysis.Reports;

/// <summary>
/// Writes a <see cref="CanaryReport"/> as JUnit XML in the Jenkins/Ant format CI systems read (schema shipped as
/// <c>docs/schemas/junit.xsd</c>): one <c>&lt;testsuite&gt;</c> per check, one <c>&lt;testcase&gt;</c> per check × endpoint,
/// and for a rollout one more suite with the decision.
/// </summary>
/// <remarks>
/// An endpoint's test case: the check could not be measured → <c>&lt;error&gt;</c>; the endpoint breached its own limit →
/// <c>&lt;failure&gt;</c>; too little data or excluded (weight 0) → <c>&lt;skipped&gt;</c>; otherwise (judged within its own
/// limit) the check's verdict: failed → <c>&lt;failure&gt;</c> (passed when endpoints that breached their own limits account for
/// the failure), inconclusive or still running → <c>&lt;skipped&gt;</c>, passed → passed. Nothing without
/// evidence counts as passed, and a failed (or errored) check always has a failing (erroring) test case: when none of its
/// endpoints carries it (or it has no endpoint rows), a test case for the whole check does. A promotion with the analysis
/// skipped by a human is a skipped decision, not a passed one.
/// </remarks>
public static class JUnitReportWriter
{
    private const string WholeCheck = "(whole check)";

    /// <summary>The report as JUnit XML text.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The XML (UTF-8 declared).</returns>
    public static string Write(CanaryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var suites = report.Checks.Select(SuiteOf).ToList();
        if (report.Kind == ReportKind.Rollout)
        {
            suites.Add(DecisionSuite(report));
        }

        var text = new Utf8StringWriter();
        var settings = new XmlWriterSettings { Indent = true, NewLineHandling = NewLineHandling.Entitize, Encoding = Encoding.UTF8 };
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", Clean($"canary {report.Kind.ToString().ToLowerInvariant()} {report.Name}"));
            Counts(xml, suites.SelectMany(s => s.Cases).ToList());
            for (var i = 0; i < suites.Count; i++)
            {
                WriteSuite(xml, suites[i], i, report.GeneratedAt);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return text.ToString();
    }

    private static Suite SuiteOf(ReportCheck check)
    {
        var name = ReportText.CheckName(check);
        var attributed = check.Endpoints.Any(e => e.Status == EndpointStatus.LimitBreached);
        var cases = check.Endpoints.Select(e => CaseOf(check, e, attributed)).ToList();
        var carried = check.Status switch
        {
            ReportStatus.Failed => cases.Any(c => c.Outcome == Outcome.Failure),
            ReportStatus.Error => cases.Any(c => c.Outcome == Outcome.Error),
            _ => cases.Count > 0,
        };
        if (!carried)
        {
            cases.Add(new Case(WholeCheck, OutcomeOf(check.Status), check.Reason, CheckDetails(check)));
        }

        var properties = new List<(string, string)>
        {
            ("status", check.Status.ToString()),
            ("value", ReportText.Number(check.Value)),
            ("threshold", ReportText.Number(check.Threshold)),
            ("looks", check.History.Count.ToString(CultureInfo.InvariantCulture)),
        };
        return new Suite(name, properties, cases, check.Message);
    }

    private static Case CaseOf(ReportCheck check, ReportEndpoint row, bool attributed)
    {
        var outcome = (check.Status, row.Status) switch
        {
            (ReportStatus.Error, _) => Outcome.Error,
            (_, EndpointStatus.LimitBreached) => Outcome.Failure,
            (_, EndpointStatus.Insufficient or EndpointStatus.Excluded) => Outcome.Skipped,
            // A failure that endpoints breaching their own limits account for is theirs: the others were judged within theirs.
            (ReportStatus.Failed, _) when attributed => Outcome.Passed,
            _ => OutcomeOf(check.Status),
        };
        var message = (outcome, row.Status) switch
        {
            (Outcome.Failure, EndpointStatus.LimitBreached) => $"{ReportText.Endpoint(row.Endpoint)}: limit breached; {check.Reason}",
            (Outcome.Skipped, EndpointStatus.Insufficient) => $"{ReportText.Endpoint(row.Endpoint)}: not enough data to judge (n={ReportText.Count(row.Requests)})",
            (Outcome.Skipped, EndpointStatus.Excluded) => $"{ReportText.Endpoint(row.Endpoint)}: excluded (weight 0)",
            _ => check.Reason,
        };
        return new Case(ReportText.Endpoint(row.Endpoint), outcome, message, EndpointDetails(row) + "\n" + CheckDetails(check));
    }

    private static Suite DecisionSuite(CanaryReport report)
    {
        var outcome = report.AnalysisSkipped ? Outcome.Skipped : OutcomeOf(report.Status);
        var message = report.AnalysisSkipped
            ? $"Analysis skipped by a human: {string.Join("; ", report.Overrides.Select(o => $"{o.Action} by {o.By}: {o.Reason}"))}"
            : report.Reason;
        var properties = new List<(string, string)>
        {
            ("action", report.Action?.ToString() ?? string.Empty),
            ("cause", report.Cause?.ToString() ?? string.Empty),
            ("weight", report.Weight?.ToString(CultureInfo.InvariantCulture) ?? string.Empty),
        };
        return new Suite("rollout", properties, [new Case("decision", outcome, message, report.Reason)], report.Reason);
    }

    private static void WriteSuite(XmlWriter xml, Suite suite, int id, DateTimeOffset at)
    {
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean(suite.Name));
        Counts(xml, suite.Cases);
        xml.WriteAttributeString("timestamp", ReportText.IsoTime(at));
        xml.WriteAttributeString("hostname", "canary-analysis");
        xml.WriteAttributeString("id", id.ToString(CultureInfo.InvariantCulture));
        xml.WriteStartElement("properties");
        foreach (var (name, value) in suite.Properties)
        {
            xml.WriteStartElement("property");
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("value", Clean(value));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        foreach (var test in suite.Cases)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", Clean(test.Name));
            xml.WriteAttributeString("classname", Clean(suite.Name));
            xml.WriteAttributeString("time", "0");
            var element = test.Outcome switch
            {
                Outcome.Failure => "failure",
                Outcome.Error => "error",
                Outcome.Skipped => "skipped",
                _ => null,
            };
            if (element is not null)
            {
                xml.WriteStartElement(element);
                xml.WriteAttributeString("message", Clean(test.Message));
                if (test.Outcome != Outcome.Skipped)
                {
                    xml.WriteAttributeString("type", test.Outcome == Outcome.Error ? "MeasurementError" : "CanaryCheckFailed");
                    xml.WriteString(Clean(test.Details));
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteElementString("system-out", Clean(suite.Output));
        xml.WriteElementString("system-err", string.Empty);
        xml.WriteEndElement();
    }

    private static void Counts(XmlWriter xml, IReadOnlyCollection<Case> cases)
    {
        xml.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", cases.Count(c => c.Outcome == Outcome.Failure).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", cases.Count(c => c.Outcome == Outcome.Error).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", cases.Count(c => c.Outcome == Outcome.Skipped).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", "0");
    }

    private static Outcome OutcomeOf(ReportStatus status) => status switch
    {
        ReportStatus.Passed => Outcome.Passed,
        ReportStatus.Failed => Outcome.Failure,
        ReportStatus.Error => Outcome.Error,
        _ => Outcome.Skipped,
    };

    private static string EndpointDetails(ReportEndpoint row) => string.Create(CultureInfo.InvariantCulture,
        $"endpoint {ReportText.Endpoint(row.Endpoint)}: {ReportText.Status(row.Status)}; canary {ReportText.Number(row.Value)} (n={ReportText.Count(row.Requests)}), baseline {ReportText.Number(row.BaselineValue)}, weight {ReportText.Percent(row.Weight)}, limit {ReportText.Number(row.Limit)}{(ReportText.Evidence(row) is { Length: > 0 } evidence ? $", {evidence}" : string.Empty)}");

    private static string CheckDetails(ReportCheck check) => string.Create(CultureInfo.InvariantCulture,
        $"check {ReportText.CheckName(check)}: {check.Status}; value {ReportText.Number(check.Value)} against {ReportText.Number(check.Threshold)} after {check.History.Count} look(s); {check.Message}");

    /// <summary>The text with every character XML 1.0 cannot carry (control characters, lone surrogates) replaced by U+FFFD.</summary>
    private static string Clean(string text)
    {
        var clean = ReportText.Clean(text);
        for (var i = 0; i < clean.Length; i++)
        {
            if (!XmlConvert.IsXmlChar(clean[i]) && !(i + 1 < clean.Length && XmlConvert.IsXmlSurrogatePair(clean[i + 1], clean[i])))
            {
                return string.Concat(clean.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD'));
            }

            if (char.IsHighSurrogate(clean[i]))
            {
                i++;
            }
        }

        return clean;
    }

    private enum Outcome
    {
        Passed,
        Failure,
        Error,
        Skipped,
    }

    private sealed record Case(string Name, Outcome Outcome, string Message, string Details);

    private sealed record Suite(string Name, IReadOnlyList<(string Name, string Value)> Properties, List<Case> Cases, string Output);

    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
