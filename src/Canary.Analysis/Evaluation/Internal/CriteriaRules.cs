using System.Globalization;
using System.Runtime.CompilerServices;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>
/// The settings rules the criteria types share; each message names the owner type, the setting (the caller's argument
/// expression, e.g. <c>Alpha</c>, which is also the exception's parameter name) and its value.
/// </summary>
internal static class CriteriaRules
{
    /// <summary>Weights are set.</summary>
    public static void RequireWeights(EndpointWeights? weights, string owner, [CallerArgumentExpression(nameof(weights))] string setting = "")
    {
        if (weights is null)
        {
            throw new ArgumentException($"{owner}.{setting} must not be null.", setting);
        }
    }

    /// <summary>Weights split α among endpoints: explicit or equal, never traffic-weighted.</summary>
    public static void RequireAlphaSplitWeights(EndpointWeights? weights, string owner, [CallerArgumentExpression(nameof(weights))] string setting = "")
    {
        if (weights is null || weights.Mode == EndpointWeightingMode.TrafficWeighted)
        {
            throw new ArgumentException($"{owner}.{setting} must be explicit or equal weights (traffic weighting would let busy endpoints take all of α).", setting);
        }
    }

    /// <summary>α is strictly between 0 and 1.</summary>
    public static void RequireAlpha(double alpha, string owner, [CallerArgumentExpression(nameof(alpha))] string setting = "")
    {
        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{owner}.{setting} must be strictly between 0 and 1, not {alpha}."), setting);
        }
    }

    /// <summary>The minimum requests per endpoint is a finite number ≥ 1.</summary>
    public static void RequireMinimumRequests(double minimum, string owner, [CallerArgumentExpression(nameof(minimum))] string setting = "")
    {
        if (!double.IsFinite(minimum) || minimum < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{owner}.{setting} must be a finite number ≥ 1, not {minimum}."), setting);
        }
    }
}
