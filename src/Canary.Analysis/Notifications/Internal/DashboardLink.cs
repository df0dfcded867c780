using System.Globalization;
using System.Text;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>A validated dashboard link template (<see cref="NotificationContext.DashboardUrlTemplate"/>) and its expansion.</summary>
internal sealed class DashboardLink
{
    private readonly string _template;

    private DashboardLink(string template) => _template = template;

    /// <summary>Validates a template (null gives null): it must be an absolute http(s) URL once its placeholders are filled.</summary>
    public static DashboardLink? Parse(string? template)
    {
        if (template is null)
        {
            return null;
        }

        var probe = Fill(template, "r", "n", "p", "1", "0", "0");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The dashboard URL template must be an absolute http or https URL.", nameof(template));
        }

        return new DashboardLink(template);
    }

    public Uri Link(NotificationContext context, string policy, int stepIndex, DateTimeOffset from, DateTimeOffset to) =>
        new(Fill(
            _template,
            Uri.EscapeDataString(context.Rollout),
            Uri.EscapeDataString(context.Namespace ?? string.Empty),
            Uri.EscapeDataString(policy),
            (stepIndex + 1).ToString(CultureInfo.InvariantCulture),
            from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));

    private static string Fill(string template, string rollout, string @namespace, string policy, string step, string from, string to) =>
        new StringBuilder(template)
            .Replace("{rollout}", rollout)
            .Replace("{namespace}", @namespace)
            .Replace("{policy}", policy)
            .Replace("{step}", step)
            .Replace("{from}", from)
            .Replace("{to}", to)
            .ToString();
}
