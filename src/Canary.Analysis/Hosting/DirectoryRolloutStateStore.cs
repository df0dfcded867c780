using System.Security.Cryptography;
using System.Text;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Hosting;

/// <summary>
/// Keeps each rollout's state in a file of a directory (<c>&lt;rollout&gt;.json</c>, the <see cref="RolloutState.ToJson"/>
/// text), written atomically: a new file is written and flushed to disk beside the old one, then renamed over it, so a reader
/// or a crash never sees half a state. A save is checked and committed under an exclusive lock on the directory's
/// <c>.lock</c> file, which other processes honour too, so two hosts sharing the directory cannot both replace one version.
/// </summary>
/// <remarks>
/// A version is (the first half of) the SHA-256 of the file's bytes, in hex: any change to the file, by any writer, changes it.
/// Two saves of the very same state have the same version, so a writer that read a state, saw it replaced and then restored,
/// may save over it: it decided on the state that is saved.
/// </remarks>
public sealed class DirectoryRolloutStateStore : IRolloutStateStore
{
    private const string Extension = ".json";
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(5);

    /// <summary>Creates the store, creating the directory when it does not exist.</summary>
    /// <param name="directory">The directory.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public DirectoryRolloutStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
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
        var temporary = Path.Combine(Directory, $".{rollout}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

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
