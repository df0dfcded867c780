using System.Globalization;
using System.Numerics;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// The Eisel–Lemire algorithm (Lemire, "Number parsing at a gigabyte per second", 2021): mantissa × 10^exp10 correctly
/// rounded to a double with one or two 64 × 64-bit multiplications by a 128-bit truncated power of ten, or false in
/// the rare cases it cannot decide (the caller then falls back to <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>).
/// </summary>
internal static class EiselLemire
{
    internal const int MinExp10 = -64;
    internal const int MaxExp10 = 64;

    // [2·k] = high and [2·k + 1] = low 64 bits of 10^(MinExp10 + k), normalised to [2^127, 2^128) and rounded down.
    private static readonly ulong[] Powers = BuildPowers();

    internal static (ulong High, ulong Low) Power(int exp10) =>
        (Powers[2 * (exp10 - MinExp10)], Powers[(2 * (exp10 - MinExp10)) + 1]);

    internal static bool TryCompose(ulong mantissa, int exp10, bool negative, out double value)
    {
        value = 0;
        if (mantissa == 0)
        {
            value = negative ? -0d : 0d;
            return true;
        }

        if (exp10 is < MinExp10 or > MaxExp10)
        {
            return false;
        }

        var leadingZeros = BitOperations.LeadingZeroCount(mantissa);
        mantissa <<= leadingZeros;
        var exponent = (ulong)(((217706 * exp10) >> 16) + 64 + 1023) - (ulong)leadingZeros;
        var (powerHigh, powerLow) = Power(exp10);

        var high = Math.BigMul(mantissa, powerHigh, out var low);
        if ((high & 0x1FF) == 0x1FF && low + mantissa < mantissa)
        {
            // The truncated power may hide a carry into the bits that matter: add the next 64 bits.
            var extraHigh = Math.BigMul(mantissa, powerLow, out var extraLow);
            var mergedHigh = high;
            var mergedLow = low + extraHigh;
            if (mergedLow < low)
            {
                mergedHigh++;
            }

            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow == ulong.MaxValue && extraLow + mantissa < mantissa)
            {
                return false;
            }

            high = mergedHigh;
            low = mergedLow;
        }

        var top = (int)(high >> 63);
        var bits = high >> (top + 9);
        exponent -= (ulong)(1 ^ top);
        if (low == 0 && (high & 0x1FF) == 0 && (bits & 3) == 1)
        {
            return false; // exactly half-way between two doubles
        }

        bits += bits & 1;
        bits >>= 1;
        if ((bits >> 53) > 0)
        {
            bits >>= 1;
            exponent++;
        }

        if (exponent - 1 >= 0x7FF - 1)
        {
            return false; // subnormal or overflow
        }

        var raw = (exponent << 52) | (bits & 0x000F_FFFF_FFFF_FFFF);
        if (negative)
        {
            raw |= 0x8000_0000_0000_0000;
        }

        value = BitConverter.UInt64BitsToDouble(raw);
        return true;
    }

    private static ulong[] BuildPowers()
    {
        var powers = new ulong[2 * (MaxExp10 - MinExp10 + 1)];
        var mask = (BigInteger.One << 64) - 1;
        for (var e = MinExp10; e <= MaxExp10; e++)
        {
            var ten = BigInteger.Pow(10, Math.Abs(e));
            var length = (int)ten.GetBitLength();
            BigInteger normalised;
            if (e >= 0)
            {
                normalised = length <= 128 ? ten << (128 - length) : ten >> (length - 128);
            }
            else
            {
                // 2^(127 + length) / 10^-e lies in (2^127, 2^128): 10^-e is never a power of two.
                normalised = (BigInteger.One << (127 + length)) / ten;
            }

            var k = 2 * (e - MinExp10);
            powers[k] = (ulong)(normalised >> 64);
            powers[k + 1] = (ulong)(normalised & mask);
        }

        return powers;
    }
}
