namespace Canary.Analysis.Traffic.Internal;

internal static class SuccessRules
{
    public static bool IsSuccess(SuccessRule rule, StatusClass statusClass) => rule switch
    {
        SuccessRule.Non5xx => statusClass is StatusClass.Informational or StatusClass.Success or StatusClass.Redirection or StatusClass.ClientError,
        _ => statusClass == StatusClass.Success,
    };
}
