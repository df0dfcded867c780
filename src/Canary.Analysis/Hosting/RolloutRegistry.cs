using System.Diagnostics.CodeAnalysis;
using Canary.Analysis.Configuration;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Hosting;

/// <summary>
/// The rollouts a <see cref="RolloutHost"/> starts: each id names a policy of the catalog and, optionally, its traffic source.
/// The host also resumes every rollout it finds in its store, registered or not (by the policy its state names).
/// </summary>
/// <remarks>Safe to use from several threads; the host sees an added rollout at once (it wakes up).</remarks>
public sealed class RolloutRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<string, RolloutRegistration> _registrations = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry over a catalog.</summary>
    /// <param name="catalog">The policies.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    public RolloutRegistry(PolicyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
    }

    /// <summary>Raised after a rollout is added.</summary>
    public event EventHandler<RolloutRegistration>? Added;

    /// <summary>Gets the policies rollouts name.</summary>
    public PolicyCatalog Catalog { get; }

    /// <summary>Gets the registered rollouts, by id in ordinal order.</summary>
    public IReadOnlyList<RolloutRegistration> Registrations
    {
        get
        {
            lock (_lock)
            {
                return [.. _registrations.Values.OrderBy(r => r.Rollout, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Registers a rollout: the host starts it when the store has no state for it, and resumes it otherwise.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="policy">The policy's name in <see cref="Catalog"/>.</param>
    /// <param name="source">Where its checks read traffic; null for the host's default.</param>
    /// <param name="namespace">Its namespace label; null for the host's.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentException"><paramref name="rollout"/> is empty or already registered.</exception>
    /// <exception cref="KeyNotFoundException">The catalog has no policy named <paramref name="policy"/>.</exception>
    public RolloutRegistration Add(string rollout, string policy, ITrafficSource? source = null, string? @namespace = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rollout);
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        _ = Catalog[policy];
        var registration = new RolloutRegistration(rollout, policy, source, @namespace);
        lock (_lock)
        {
            if (!_registrations.TryAdd(rollout, registration))
            {
                throw new ArgumentException($"Rollout '{rollout}' is already registered (policy '{_registrations[rollout].Policy}').", nameof(rollout));
            }
        }

        Added?.Invoke(this, registration);
        return registration;
    }

    /// <summary>Finds a rollout's registration.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="registration">The registration, when there is one.</param>
    /// <returns>True when the rollout is registered.</returns>
    public bool TryGet(string rollout, [NotNullWhen(true)] out RolloutRegistration? registration)
    {
        lock (_lock)
        {
            return _registrations.TryGetValue(rollout, out registration);
        }
    }
}
