using System.Text;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Tests.Metrics.Scrape.Exposition;

/// <summary>
/// The parser's work is linear in every dimension (labels per line, line length, lines, series), proved by its step
/// count rather than by the clock; it honours a size cap and cancellation.
/// </summary>
public sealed class ExpositionParserBoundsTests
{
    private static string ManyLabels(int labels, string name = "m", bool reversed = false)
    {
        var text = new StringBuilder(name).Append('{');
        for (var i = 0; i < labels; i++)
        {
            var n = reversed ? labels - 1 - i : i;
            text.Append('l').Append(n).Append("=\"v").Append(n).Append("\",");
        }

        return text.Append("} 1\n").ToString();
    }

    private static long Work(string text)
    {
        ExpositionParser.Parse(text, ExpositionDialect.PrometheusText, ExpositionParser.DefaultMaxBytes, CancellationToken.None, out var work);
        return work;
    }

    [Fact]
    public void Parse_LabelsOnOneLine_WorkIsLinear()
    {
        var small = Work(ManyLabels(10_000));
        var large = Work(ManyLabels(80_000));

        // Pairwise duplicate checks would take ~n²/2 = 3.2e9 steps for 80 000 labels; a linear parse takes a few per label.
        Assert.InRange(large, 80_000, 5 * 80_000);
        Assert.InRange((double)large / small, 7.5, 8.5);
    }

    [Fact]
    public void Parse_DuplicateSeriesWithManyLabelsInAnotherOrder_FoundInLinearWork()
    {
        const int labels = 80_000;
        var text = ManyLabels(labels) + ManyLabels(labels, reversed: true);
        using var generous = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a safety net, not a timing assertion

        var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(text, ExpositionDialect.PrometheusText, cancellationToken: generous.Token));

        Assert.Contains("duplicate series", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.LineNumber);

        // The same two series with one value changed are distinct, and comparing them is linear too.
        var distinct = ManyLabels(labels) + ManyLabels(labels, reversed: true).Replace("l0=\"v0\"", "l0=\"w0\"", StringComparison.Ordinal);
        Assert.InRange(Work(distinct), 2 * labels, 12 * labels);
    }

    [Fact]
    public void Parse_DuplicateLabelAfterManyLabels_Rejected()
    {
        var line = ManyLabels(80_000).Replace("} 1", "l79999=\"again\"} 1", StringComparison.Ordinal);

        var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(line, ExpositionDialect.PrometheusText));

        Assert.Contains("label 'l79999' appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LinesAndSeries_WorkIsLinear()
    {
        static string Lines(int count)
        {
            var text = new StringBuilder("# TYPE c counter\n");
            for (var i = 0; i < count; i++)
            {
                text.Append("c_total{endpoint=\"/e").Append(i).Append("\",code=\"200\",method=\"GET\"} ").Append(i).Append('\n');
            }

            return text.ToString();
        }

        var small = Work(Lines(10_000));
        var large = Work(Lines(100_000));

        Assert.InRange(large, 100_000, 20 * 100_000);
        Assert.InRange((double)large / small, 9.5, 10.5);
    }

    [Fact]
    public void Parse_LongLabelValueAndHelp_WorkDoesNotGrowWithLength()
    {
        static string Long(int length) =>
            "# HELP g " + new string('h', length) + "\n# TYPE g gauge\ng{a=\"" + new string('x', length) + "\",b=\"" + new string('\\', 2 * length) + "\"} 1\n";

        var text = Long(5_000_000);
        Assert.Equal(Work(Long(10)), Work(text)); // steps are per line and per label; characters are scanned in vectorised runs

        var document = ExpositionParser.Parse(text, ExpositionDialect.PrometheusText);
        var sample = Assert.Single(document.Samples);
        Assert.Equal(5_000_000, sample.Labels[1].Value.Length);
    }

    [Fact]
    public void Parse_LargerThanTheCap_Rejected()
    {
        var text = "a 1\nb 2\n";
        var bytes = Encoding.UTF8.GetBytes(text);

        var fromBytes = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(bytes, ExpositionDialect.PrometheusText, maxBytes: bytes.Length - 1));
        var fromText = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(text, ExpositionDialect.PrometheusText, maxBytes: text.Length - 1));

        Assert.Contains("more than the cap of 7", fromBytes.Message, StringComparison.Ordinal);
        Assert.Contains("more than the cap of 7", fromText.Message, StringComparison.Ordinal);
        Assert.Equal(2, ExpositionParser.Parse(bytes, ExpositionDialect.PrometheusText, maxBytes: bytes.Length).Samples.Count());
    }

    [Fact]
    public void Parse_Cancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var text = ManyLabels(10);

        Assert.Throws<OperationCanceledException>(() => ExpositionParser.Parse(text, ExpositionDialect.PrometheusText, cancellationToken: cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => ExpositionParser.Parse(Encoding.UTF8.GetBytes(text), ExpositionDialect.PrometheusText, cancellationToken: cancelled.Token));
    }
}
