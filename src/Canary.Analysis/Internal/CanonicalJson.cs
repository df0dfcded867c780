using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Canary.Analysis.Internal;

/// <summary>
/// The canonical form of a JSON value, to compare JSON by what it says rather than how it is spelt: no whitespace, object
/// members in the ordinal order of their names (members of the same name keep their order), one escaping for strings and one
/// spelling for numbers (<c>1</c>, <c>1.0</c> and <c>10e-1</c> are one number; <c>-0</c> is <c>0</c>). Numbers are compared as
/// exact decimals, never rounded to a <see cref="double"/> (so <c>0.1</c> and <c>0.10000000000000001</c> differ): values with
/// equal canonical forms are read alike by any reader that ignores member order, whitespace and number spelling.
/// </summary>
/// <remarks>
/// A value holding a string that is not text (an unpaired surrogate escape, <c>"\uD800"</c>) has no canonical form: it is
/// represented by its raw text behind a marker no canonical form starts with, so it equals only the same raw text.
/// </remarks>
internal static class CanonicalJson
{
    private const byte NotCanonical = 0xFF;

    /// <summary>Returns the canonical form of <paramref name="element"/> as UTF-8 bytes.</summary>
    public static byte[] Of(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            Write(writer, element);
        }
        catch (InvalidOperationException)
        {
            // A string that cannot be read as text (see the remarks).
            return [NotCanonical, .. System.Text.Encoding.UTF8.GetBytes(element.GetRawText())];
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var (name, value) in element.EnumerateObject().Select(p => (p.Name, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(Number(element.GetRawText()), skipInputValidation: true);
                break;
            default:
                // true, false, null: one spelling each.
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>A JSON number as its significant digits (no leading or trailing zeros) and a power of ten: <c>-12.50e1</c> → <c>-125</c>, <c>0.5</c> → <c>5e-1</c>.</summary>
    private static string Number(string text)
    {
        var negative = text[0] == '-';
        var exponentAt = text.IndexOfAny(['e', 'E']);
        var mantissa = text[(negative ? 1 : 0)..(exponentAt < 0 ? text.Length : exponentAt)];
        var exponent = exponentAt < 0 ? BigInteger.Zero : BigInteger.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = (dot < 0 ? mantissa : mantissa.Remove(dot, 1)).TrimStart('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var significant = digits.TrimEnd('0');
        exponent += digits.Length - significant.Length - (dot < 0 ? 0 : mantissa.Length - dot - 1);
        var sign = negative ? "-" : string.Empty;
        return exponent.IsZero ? sign + significant : string.Create(CultureInfo.InvariantCulture, $"{sign}{significant}e{exponent}");
    }
}
