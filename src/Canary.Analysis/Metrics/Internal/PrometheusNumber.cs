using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// The one reader of numbers as Prometheus spells them, for every place that reads one: sample values of the HTTP API
/// (JSON strings), values, timestamps and <c>le</c> bounds of the exposition formats, <c>le</c> labels of query results,
/// and the non-finite values of recordings.
/// </summary>
/// <remarks>
/// <para>The grammar is Go's <c>strconv.ParseFloat</c> as Prometheus' exposition parser uses it (it refuses <c>p</c>,
/// <c>P</c> and <c>_</c>, so no hexadecimal floats and no digit separators), which is also what Prometheus' own Go client
/// reads API values with:</para>
/// <list type="bullet">
/// <item><description><c>[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?</c>, e.g. <c>1</c>, <c>-0.25</c>,
/// <c>+3.</c>, <c>.5</c>, <c>1e-07</c>, <c>6.02E+23</c>;</description></item>
/// <item><description><c>[+-]? (inf | infinity)</c> and <c>nan</c> (no sign), ignoring case: <c>+Inf</c>, <c>-Inf</c>,
/// <c>Inf</c>, <c>inf</c>, <c>Infinity</c>, <c>NaN</c>, <c>nan</c>.</description></item>
/// </list>
/// <para>Refused: the empty string, white space anywhere, hexadecimal (<c>0x1p-2</c>), digit separators (<c>1_000</c>,
/// <c>1,000</c>), a signed NaN, <c>∞</c>, and anything after the number. Prometheus itself writes API values with Go's
/// <c>'f'</c> format (<c>'e'</c> below 1e-6 and from 1e21), and <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>; client libraries
/// write <c>le</c> with <c>'g'</c> (<c>+Inf</c>, <c>1e-05</c>). One deliberate difference from Go: a finite spelling
/// beyond the double range (<c>1e400</c>) reads as ±infinity, where Go reports a range error; no count or bound the
/// library accepts can be infinite, so such a value is refused one step later as an invalid count.</para>
/// <para>Common spellings take an exact fast path (Clinger's for up to 19 significant digits and 22 decimals,
/// then <see cref="EiselLemire"/>); the rest are checked against the grammar and converted by <c>double.TryParse</c>.</para>
/// </remarks>
internal static class PrometheusNumber
{
    private const int MaxFastLength = 64;

    // Every power of ten up to 1e22 is an exact double.
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Reads a number from UTF-8 text (a JSON string's bytes, a recording).</summary>
    /// <param name="utf8">The whole token, nothing around it.</param>
    /// <param name="value">The number.</param>
    /// <returns>Whether the token is a number in Prometheus' spelling.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value) => TryParseCore(utf8, out value);

    /// <summary>Reads a number from text (an exposition token, a label value).</summary>
    /// <param name="text">The whole token, nothing around it.</param>
    /// <param name="value">The number.</param>
    /// <returns>Whether the token is a number in Prometheus' spelling.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out double value) => TryParseCore(text, out value);

    /// <summary>
    /// The fast path: <c>[+-]? digits [. digits]</c> with at most 19 significant digits, exactly rounded, or false (the
    /// caller then tries the rest of the grammar).
    /// </summary>
    internal static bool TryParseSimpleDecimal<T>(ReadOnlySpan<T> text, out double value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && uint.CreateTruncating(text[0]) is '-' or '+')
        {
            negative = uint.CreateTruncating(text[0]) == '-';
            i = 1;
        }

        if (i == text.Length || text.Length > MaxFastLength)
        {
            return false;
        }

        ulong mantissa = 0;
        var significant = 0;
        var anyDigit = false;
        var decimals = -1;
        for (; i < text.Length; i++)
        {
            var c = uint.CreateTruncating(text[i]);
            var digit = c - '0';
            if (digit <= 9)
            {
                anyDigit = true;
                if (mantissa != 0 || digit != 0)
                {
                    if (++significant > 19)
                    {
                        return false;
                    }

                    mantissa = (mantissa * 10) + digit;
                }

                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (c == '.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false;
            }
        }

        if (!anyDigit || decimals == 0)
        {
            return false;
        }

        var scale = Math.Max(decimals, 0);
        if (mantissa <= (1UL << 53) && scale < Pow10.Length)
        {
            value = scale > 0 ? mantissa / Pow10[scale] : mantissa;
            if (negative)
            {
                value = -value;
            }

            return true;
        }

        return EiselLemire.TryCompose(mantissa, -scale, negative, out value);
    }

    private static bool TryParseCore<T>(ReadOnlySpan<T> text, out double value)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (TryParseSimpleDecimal(text, out value))
        {
            return true;
        }

        if (TryParseSpecial(text, out value))
        {
            return true;
        }

        if (!MatchesGrammar(text))
        {
            value = 0;
            return false;
        }

        return typeof(T) == typeof(byte)
            ? double.TryParse(MemoryMarshal.Cast<T, byte>(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            : double.TryParse(MemoryMarshal.Cast<T, char>(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    // [+-]? (inf | infinity), or nan without a sign; ASCII letters in any case.
    private static bool TryParseSpecial<T>(ReadOnlySpan<T> text, out double value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        var first = uint.CreateTruncating(text[0]);
        if (EqualsIgnoreCase(text, "nan"))
        {
            value = double.NaN;
            return true;
        }

        var body = first is '+' or '-' ? text[1..] : text;
        if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity"))
        {
            value = first == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return false;
    }

    private static bool EqualsIgnoreCase<T>(ReadOnlySpan<T> text, string lower)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length != lower.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            // ASCII letters only: setting bit 0x20 lower-cases them and maps no other character onto a letter.
            if ((uint.CreateTruncating(text[i]) | 0x20) != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    // [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
    private static bool MatchesGrammar<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        var i = 0;
        if (i < text.Length && uint.CreateTruncating(text[i]) is '+' or '-')
        {
            i++;
        }

        var digits = SkipDigits(text, ref i);
        if (i < text.Length && uint.CreateTruncating(text[i]) == '.')
        {
            i++;
            digits += SkipDigits(text, ref i);
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && uint.CreateTruncating(text[i]) is 'e' or 'E')
        {
            i++;
            if (i < text.Length && uint.CreateTruncating(text[i]) is '+' or '-')
            {
                i++;
            }

            if (SkipDigits(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int SkipDigits<T>(ReadOnlySpan<T> text, ref int i)
        where T : unmanaged, IBinaryInteger<T>
    {
        var start = i;
        while (i < text.Length && uint.CreateTruncating(text[i]) - '0' <= 9)
        {
            i++;
        }

        return i - start;
    }
}
