namespace Canary.Analysis.Traffic;

/// <summary>
/// Wraps a traffic source and records every snapshot read through it, to be saved to a file and replayed later with
/// <see cref="RecordedTrafficSource"/>: capture production behaviour once, unit-test policies against it.
/// </summary>
/// <remarks>
/// The file format is <c>{"format":"canary-analysis/recorded-traffic/v1","snapshots":[{"query":{"selector":…,"end":…,"window":…,
/// "includeLatency":…},"warnings":[…],"endpoints":[{"endpoint":…,"successRule":…,"counts":{"2xx":…,"5xx":…},
/// "latency":{"buckets":[{"le":"0.005","count":…},…,{"le":"+Inf","count":…}],"sum":…}}]}]}</c>; see
/// <see cref="RecordedTrafficSource"/>. Reads that fail are not recorded.
/// </remarks>
public sealed class TrafficRecorder : ITrafficSource
{
    private readonly ITrafficSource _inner;
    private readonly object _gate = new();
    private readonly List<RecordedTrafficSnapshot> _recording = [];

    /// <summary>Creates a recorder.</summary>
    /// <param name="inner">The source to read from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public TrafficRecorder(ITrafficSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Gets a copy of the reads recorded so far, in the order they completed.</summary>
    public IReadOnlyList<RecordedTrafficSnapshot> Recording
    {
        get
        {
            lock (_gate)
            {
                return [.. _recording];
            }
        }
    }

    /// <inheritdoc />
    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = await _inner.ReadAsync(query, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _recording.Add(new RecordedTrafficSnapshot(query, snapshot));
        }

        return snapshot;
    }

    /// <summary>Writes the recording as UTF-8 JSON.</summary>
    /// <param name="stream">The stream to write to (left open).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written and flushed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Internal.RecordedTrafficFile.WriteAsync(stream, Recording, cancellationToken);
    }

    /// <summary>Writes the recording to a file (created or overwritten).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await SaveAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }
}
