using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>The policy an import is building, field by field, before it is written as a document.</summary>
internal sealed class PolicyDraft(string name)
{
    public string Name { get; set; } = name;

    public string? Address { get; set; }

    public string? Timeout { get; set; }

    public string? TenantId { get; set; }

    public TrafficConvention? Convention { get; set; }

    public string? Canary { get; set; }

    public string? Baseline { get; set; }

    public int? Replicas { get; set; }

    public List<CheckDraft> Checks { get; } = [];

    public List<StepDraft> Steps { get; } = [];

    /// <summary>Adds a check under a name no other check has (<c>name</c>, <c>name-2</c>, …) and returns that name.</summary>
    public string AddCheck(CheckDraft check)
    {
        var name = check.Name;
        for (var i = 2; Checks.Any(c => c.Name == name); i++)
        {
            name = FormattableString.Invariant($"{check.Name}-{i}");
        }

        Checks.Add(check with { Name = name });
        return name;
    }
}
