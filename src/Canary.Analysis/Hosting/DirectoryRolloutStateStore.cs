using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Hosting;

/// <summary>
/// Keeps each rollout's state in a file of a directory (<c>&lt;rollout&gt;.json</c>, the <see cref="RolloutState.ToJson"/>
/// text), written atomically: a new file is written and flushed to disk beside the old one, then renamed over it, so a reader
/// or a crash never sees half a state. A save is checked and committed under an exclusive lock on the directory's
/// <c>.lock</c> file, which other processes honour too, so two hosts sharing the directory cannot both replace one version.
/// </summary>
/// <remarks>
/// <para>Leases (<see cref="IRolloutLeaseStore"/>) are kept beside the states, in <c>.&lt;rollout&gt;.lease</c> (owner and expiry, JSON),
/// taken, renewed and released under the same lock, and judged by the store's <see cref="TimeProvider"/>: hosts sharing the
/// directory from several machines need clocks kept in step (NTP), to well under the lease's duration.</para>
/// A version is (the first half of) the SHA-256 of the file's bytes, in hex: any change to the file, by any writer, changes it.
/// Two saves of the very same state have the same version, so a writer that read a state, saw it replaced and then restored,
/// may save over it: it decided on the state that is saved.
/// </remarks>
public sealed class DirectoryRolloutStateStore : IRolloutStateStore, IRolloutLeaseStore
{
    private const string Extension = ".json";
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(5);

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store, creating the directory when it does not exist; leases follow <see cref="TimeProvider.System"/>.</summary>
    /// <param name="directory">The directory.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public DirectoryRolloutStateStore(string directory)
        : this(directory, TimeProvider.System)
    {
    }

    /// <summary>Creates the store, creating the directory when it does not exist.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="timeProvider">The clock leases expire by.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public DirectoryRolloutStateStore(string directory, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the directory's full path.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rollout"/> is not a valid id (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; 1–200 characters; not starting with <c>.</c>).</exception>
    public async Task<StoredRolloutState?> LoadAsync(string rollout, CancellationToken cancellationToken = default)
    {
        var path = PathOf(rollout);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return new StoredRolloutState(rollout, Parse(path, bytes), VersionOf(bytes));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rollout"/> is not a valid id.</exception>
    public async Task<StoredRolloutState> SaveAsync(string rollout, RolloutState state, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var path = PathOf(rollout);
        var bytes = Encoding.UTF8.GetBytes(state.ToJson());
        var temporary = await WriteTemporaryAsync(rollout, bytes, cancellationToken).ConfigureAwait(false);
        try
        {
            using (await LockAsync(cancellationToken).ConfigureAwait(false))
            {
                var current = File.Exists(path) ? VersionOf(await File.ReadAllBytesAsync(path, CancellationToken.None).ConfigureAwait(false)) : null;
                if (current != expectedVersion)
                {
                    throw new RolloutStateConflictException(rollout, expectedVersion, current);
                }

                File.Move(temporary, path, overwrite: true);
            }
        }
        finally
        {
            File.Delete(temporary); // gone already when the rename committed
        }

        return new StoredRolloutState(rollout, state, VersionOf(bytes));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> ids = System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(IsValidId)
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(ids);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rollout"/> is not a valid id, <paramref name="owner"/> is empty, or <paramref name="duration"/> is not positive.</exception>
    public async Task<RolloutLease> AcquireAsync(string rollout, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var path = LeasePathOf(rollout);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"A lease must last a positive time, not {duration}.", nameof(duration));
        }

        using (await LockAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = _timeProvider.GetUtcNow();
            if (ReadLease(rollout, path) is { } held && held.Owner != owner && held.ExpiresAt > now)
            {
                return held;
            }

            var lease = new RolloutLease(rollout, owner, now + duration);
            await WriteAtomicallyAsync(path, LeaseJson(lease), CancellationToken.None).ConfigureAwait(false);
            return lease;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rollout"/> is not a valid id, or <paramref name="owner"/> is empty.</exception>
    public async Task ReleaseAsync(string rollout, string owner, CancellationToken cancellationToken = default)
    {
        var path = LeasePathOf(rollout);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        using (await LockAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ReadLease(rollout, path)?.Owner == owner)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Whether a text can be a rollout's id here: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; 1–200 characters; not starting with <c>.</c>.</summary>
    /// <param name="rollout">The text.</param>
    /// <returns>True when it can.</returns>
    public static bool IsValidId(string? rollout) =>
        rollout is { Length: > 0 and <= 200 } && rollout[0] != '.' && rollout.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private string PathOf(string rollout)
    {
        if (!IsValidId(rollout))
        {
            throw new ArgumentException($"'{rollout}' is not a rollout id a directory store can keep: use letters, digits, '.', '_' and '-' (1–200 characters, not starting with '.').", nameof(rollout));
        }

        return Path.Combine(Directory, rollout + Extension);
    }

    private string LeasePathOf(string rollout)
    {
        _ = PathOf(rollout); // validates the id
        return Path.Combine(Directory, $".{rollout}.lease");
    }

    /// <summary>Reads a lease file; a missing or unreadable one (never written by this store) is no lease.</summary>
    private static RolloutLease? ReadLease(string rollout, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new RolloutLease(rollout, root.GetProperty("owner").GetString() ?? string.Empty, root.GetProperty("expiresAt").GetDateTimeOffset());
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static byte[] LeaseJson(RolloutLease lease)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("owner", lease.Owner);
            writer.WriteString("expiresAt", lease.ExpiresAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Writes a file through a flushed temporary file renamed over it (the caller holds the lock).</summary>
    private async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = await WriteTemporaryAsync(Path.GetFileName(path), bytes, cancellationToken).ConfigureAwait(false);
        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the bytes to a new hidden temporary file of the directory, flushed to disk, and returns its path.</summary>
    private async Task<string> WriteTemporaryAsync(string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            return temporary;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static RolloutState Parse(string path, byte[] bytes)
    {
        try
        {
            return RolloutState.FromJson(Encoding.UTF8.GetString(bytes));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    private static string VersionOf(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes).AsSpan(0, 16)).ToLowerInvariant();

    /// <summary>Takes the directory's lock: an exclusive open of <c>.lock</c>, which .NET turns into an advisory lock other processes honour.</summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, ".lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
