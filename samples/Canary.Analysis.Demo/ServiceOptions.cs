namespace Canary.Analysis.Demo;

/// <summary>What a demo service is and what is wrong with it.</summary>
internal sealed class ServiceOptions
{
    /// <summary>Gets the version's name (<c>baseline</c> or <c>canary</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Gets n for "every n-th /api/pay request fails", or null for a healthy /api/pay.</summary>
    public int? PayFailEvery { get; init; }
}
