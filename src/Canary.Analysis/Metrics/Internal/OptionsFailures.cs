using Microsoft.Extensions.Options;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Turns a backend's option rules into the options pattern's result (<c>ValidateOnStart</c>).</summary>
internal static class OptionsFailures
{
    /// <summary>Success when there are no failures; a failure naming the type when the options are null.</summary>
    /// <param name="failures">The rules' failures, or null when the options were null.</param>
    /// <param name="typeName">The options type, for the null message.</param>
    public static ValidateOptionsResult ToResult(List<string>? failures, string typeName) => failures switch
    {
        null => ValidateOptionsResult.Fail($"{typeName} must not be null."),
        { Count: 0 } => ValidateOptionsResult.Success,
        _ => ValidateOptionsResult.Fail(failures),
    };
}
