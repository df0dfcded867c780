using System.Buffers;

namespace Canary.Analysis.Metrics.Scrape.Exposition;

// The dialect rules: which characters, metric types and name suffixes each format allows.
internal static partial class ExpositionParser
{
    private static readonly SearchValues<char> MetricNameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");

    private static readonly SearchValues<char> LabelNameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private static readonly string[] Suffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"];

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static bool IsMetricNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool IsMetricNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    private static bool IsLabelNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsLabelNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static ExpositionMetricType ParseType(ReadOnlySpan<char> word, bool openMetrics) => word switch
    {
        "counter" => ExpositionMetricType.Counter,
        "gauge" => ExpositionMetricType.Gauge,
        "histogram" => ExpositionMetricType.Histogram,
        "summary" => ExpositionMetricType.Summary,
        "untyped" when !openMetrics => ExpositionMetricType.Unknown,
        "unknown" when openMetrics => ExpositionMetricType.Unknown,
        "gaugehistogram" when openMetrics => ExpositionMetricType.GaugeHistogram,
        "stateset" when openMetrics => ExpositionMetricType.StateSet,
        "info" when openMetrics => ExpositionMetricType.Info,
        _ => throw new SyntaxError($"unknown metric type '{word.ToString()}'"),
    };

    private static bool SuffixAllowed(ExpositionMetricType type, string suffix, bool openMetrics) => suffix switch
    {
        "" => type switch
        {
            ExpositionMetricType.Counter or ExpositionMetricType.Info => !openMetrics,
            ExpositionMetricType.Histogram or ExpositionMetricType.GaugeHistogram => false,
            _ => true,
        },
        "_total" => type == ExpositionMetricType.Counter,
        "_created" => openMetrics && type is ExpositionMetricType.Counter or ExpositionMetricType.Histogram or ExpositionMetricType.Summary,
        "_bucket" => type is ExpositionMetricType.Histogram or ExpositionMetricType.GaugeHistogram,
        "_count" or "_sum" => type is ExpositionMetricType.Histogram or ExpositionMetricType.Summary,
        "_gcount" or "_gsum" => type == ExpositionMetricType.GaugeHistogram,
        "_info" => openMetrics && type == ExpositionMetricType.Info,
        _ => false,
    };
}
