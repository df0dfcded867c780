namespace Canary.Analysis.Judge;

/// <summary>The body Argo Rollouts' kayenta provider posts (<c>AnalysisRequest</c> in <c>metricproviders/kayenta/kayenta.go</c>).</summary>
internal sealed class KayentaRequest
{
    public Dictionary<string, KayentaScopePair>? Scopes { get; set; }

    public KayentaThresholds? Thresholds { get; set; }
}

/// <summary>A scope: the control (baseline) and the experiment (canary).</summary>
internal sealed class KayentaScopePair
{
    public KayentaScope? ControlScope { get; set; }

    public KayentaScope? ExperimentScope { get; set; }
}

/// <summary>One side of a scope (<c>ScopeDetailRequest</c>): start and end are RFC 3339; step (seconds) is not used.</summary>
internal sealed class KayentaScope
{
    public string? Scope { get; set; }

    public string? Location { get; set; }

    public long Step { get; set; }

    public string? Start { get; set; }

    public string? End { get; set; }
}

/// <summary>The score thresholds (<c>ThresholdsRequest</c>).</summary>
internal sealed class KayentaThresholds
{
    public long Pass { get; set; }

    public long Marginal { get; set; }
}

/// <summary>A validated scope to judge.</summary>
internal sealed record ScopeToJudge(string Name, string Control, string? ControlLocation, string Experiment, string? ExperimentLocation, DateTimeOffset Start, DateTimeOffset End);
