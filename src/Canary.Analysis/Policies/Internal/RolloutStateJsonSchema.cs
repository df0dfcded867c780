using System.Globalization;
using System.Text.Json;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies.Internal;

/// <summary>
/// The exact shape of a saved <see cref="RolloutState"/> (format version 2, and version 1 for migration), checked before the source-generated
/// deserialiser sees the text: the deserialiser alone would take the last of duplicate keys, numeric and case-insensitive
/// enum values, and defaults for missing fields, any of which could turn a corrupted state into a different rollout.
/// </summary>
/// <remarks>
/// Every field <see cref="RolloutState.ToJson"/> writes is required, nothing else is allowed, each key appears once per
/// object, enums are their exact names, integers are integers, and only the fields that are nullable in the model may be
/// null. A violation is a <see cref="FormatException"/> naming the JSON path and the value.
/// </remarks>
internal static class RolloutStateJsonSchema
{
    private const int MaxShownValueLength = 64;

    private static readonly ObjectShape OverrideShape = new(
    [
        ("action", Kind.Enum<ManualAction>()),
        ("by", Kind.String),
        ("reason", Kind.String),
        ("at", Kind.Timestamp),
        ("atStep", Kind.Int),
    ]);

    private static readonly ObjectShape MeasurementShape = new(
    [
        ("phase", Kind.Enum<MeasurementPhase>()),
        ("startedAt", Kind.Timestamp),
        ("finishedAt", Kind.Timestamp),
        ("value", Kind.Double),
        ("reason", Kind.String),
    ]);

    // What a metric's and a run's and a state's shapes have in common in both versions, then each version's own fields.
    private static readonly (string Name, Kind Kind)[] MetricCounters =
    [
        ("name", Kind.String),
        ("phase", Kind.Enum<AnalysisPhase>()),
        ("message", Kind.String),
        ("successful", Kind.Int),
        ("failed", Kind.Int),
        ("inconclusive", Kind.Int),
        ("errors", Kind.Int),
        ("consecutiveErrors", Kind.Int),
        ("consecutiveSuccesses", Kind.Int),
    ];

    private static readonly (string Name, Kind Kind)[] RunHead =
        [("startedAt", Kind.Timestamp), ("background", Kind.Bool), ("terminationReason", Kind.String.OrNull()), ("phase", Kind.Enum<AnalysisPhase>()), ("message", Kind.String)];

    private static readonly (string Name, Kind Kind)[] StateHead =
    [
        ("version", Kind.Int),
        ("policy", Kind.String),
        ("status", Kind.Enum<RolloutStatus>()),
        ("stepIndex", Kind.Int),
        ("stepStartedAt", Kind.Timestamp),
        ("startedAt", Kind.Timestamp),
        ("weight", Kind.Int),
        ("overrides", Kind.ArrayOf(OverrideShape)),
        ("message", Kind.String),
    ];

    private static readonly ObjectShape MetricShape = new(
    [
        .. MetricCounters,
        ("minimumValue", Kind.Double),
        ("maximumValue", Kind.Double),
        ("history", Kind.ArrayOf(MeasurementShape)),
        ("checkEvidence", Kind.Any.OrNull()),
    ]);

    private static readonly ObjectShape RunShape = new([.. RunHead, ("metrics", Kind.ArrayOf(MetricShape))]);

    private static readonly ObjectShape StateShape = new([.. StateHead, ("stepAnalysis", Kind.Of(RunShape).OrNull()), ("backgroundAnalysis", Kind.Of(RunShape).OrNull())]);

    // Format version 1 (read, then migrated by RolloutStateV1Migration): the last measurement only, flags for skip and termination.
    private static readonly ObjectShape V1MetricShape = new(
    [
        .. MetricCounters,
        ("lastPhase", Kind.Enum<MeasurementPhase>().OrNull()),
        ("lastFinishedAt", Kind.Timestamp.OrNull()),
        ("lastValue", Kind.Double),
        ("lastReason", Kind.String.OrNull()),
    ], version: 1);

    private static readonly ObjectShape V1RunShape = new([.. RunHead, ("terminated", Kind.Bool), ("metrics", Kind.ArrayOf(V1MetricShape))], version: 1);

    private static readonly ObjectShape V1StateShape = new(
        [.. StateHead, ("analysisSkipped", Kind.Bool), ("stepAnalysis", Kind.Of(V1RunShape).OrNull()), ("backgroundAnalysis", Kind.Of(V1RunShape).OrNull())],
        version: 1);

    /// <summary>Throws a <see cref="FormatException"/> unless <paramref name="root"/> is a rollout state of a format version this library reads.</summary>
    /// <param name="root">The parsed document's root.</param>
    /// <returns>The format version: <see cref="RolloutState.CurrentVersion"/>, or 1 (to be migrated).</returns>
    public static int Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("$", $"must be an object, not {Describe(root)}");
        }

        // The version first: a state from a future format should say so, not list the fields this reader does not know.
        var versions = 0;
        var version = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("version"))
            {
                versions++;
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out version) || version is not (1 or RolloutState.CurrentVersion))
                {
                    throw Invalid("$.version", $"is {Describe(property.Value)}; this library reads rollout state format versions 1 and {RolloutState.CurrentVersion} only");
                }
            }
        }

        if (versions == 0)
        {
            throw Invalid(
                "$.version",
                $"is missing: the state was written by an older Canary.Analysis (or is not a rollout state). Format version {RolloutState.CurrentVersion} is required; check the state and add \"version\":{RolloutState.CurrentVersion}, or restart the rollout");
        }

        (version == 1 ? V1StateShape : StateShape).Validate(root, "$");
        return version;
    }

    /// <summary>Throws a <see cref="FormatException"/> unless <paramref name="root"/> has the shape of a current-version state.</summary>
    /// <param name="root">The root of a state (a migrated one).</param>
    public static void ValidateCurrent(JsonElement root) => StateShape.Validate(root, "$");

    /// <summary>Returns the exception for a field that is not what it must be.</summary>
    /// <param name="path">The field's JSON path.</param>
    /// <param name="problem">What is wrong, after the path.</param>
    /// <returns>The exception, naming the path.</returns>
    public static FormatException Invalid(string path, string problem) =>
        new($"Invalid rollout state: {path} {problem}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Shorten($"\"{JsonEncodedText.Encode(value.GetString() ?? string.Empty)}\""),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Shorten(value.GetRawText()),
    };

    private static string Shorten(string text) =>
        text.Length <= MaxShownValueLength ? text : string.Concat(text.AsSpan(0, MaxShownValueLength), "…");

    private sealed class ObjectShape((string Name, Kind Kind)[] properties, int version = RolloutState.CurrentVersion)
    {
        private readonly Dictionary<string, Kind> _properties = properties.ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal);

        public void Validate(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"must be an object, not {Describe(element)}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var propertyPath = $"{path}.{property.Name}";
                if (!seen.Add(property.Name))
                {
                    throw Invalid(propertyPath, $"appears more than once (second value {Describe(property.Value)})");
                }

                if (!_properties.TryGetValue(property.Name, out var kind))
                {
                    throw Invalid(propertyPath, $"is not a field of format version {version} (value {Describe(property.Value)})");
                }

                kind.Validate(property.Value, propertyPath);
            }

            foreach (var name in _properties.Keys)
            {
                if (!seen.Contains(name))
                {
                    throw Invalid($"{path}.{name}", "is missing (every field is required)");
                }
            }
        }
    }

    private sealed class Kind
    {
        private readonly Action<JsonElement, string> _validate;
        private readonly bool _nullable;

        private Kind(Action<JsonElement, string> validate, bool nullable = false) => (_validate, _nullable) = (validate, nullable);

        public static Kind String { get; } = new((e, path) => Expect(e, path, JsonValueKind.String, "a string"));

        public static Kind Bool { get; } = new((e, path) =>
        {
            if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid(path, $"must be true or false, not {Describe(e)}");
            }
        });

        public static Kind Int { get; } = new((e, path) =>
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out _))
            {
                throw Invalid(path, $"must be a whole number (32-bit), not {Describe(e)}");
            }
        });

        public static Kind Double { get; } = new((e, path) =>
        {
            var ok = e.ValueKind switch
            {
                JsonValueKind.Number => e.TryGetDouble(out var d) && double.IsFinite(d),
                JsonValueKind.String => e.GetString() is "NaN" or "Infinity" or "-Infinity",
                _ => false,
            };
            if (!ok)
            {
                throw Invalid(path, $"must be a number or \"NaN\", \"Infinity\", \"-Infinity\", not {Describe(e)}");
            }
        });

        public static Kind Timestamp { get; } = new((e, path) =>
        {
            if (e.ValueKind != JsonValueKind.String || !e.TryGetDateTimeOffset(out _))
            {
                throw Invalid(path, $"must be an ISO 8601 date and time with offset, not {Describe(e)}");
            }
        });

        public static Kind Enum<TEnum>()
            where TEnum : struct, System.Enum
        {
            var names = System.Enum.GetNames<TEnum>();
            var list = string.Join(", ", names);
            return new((e, path) =>
            {
                // Exact names only: System.Text.Json would also take numbers, "1", "promoted" and "Aborted, Promoted".
                if (e.ValueKind != JsonValueKind.String || Array.IndexOf(names, e.GetString()) < 0)
                {
                    throw Invalid(path, $"must be one of {list} (as a string, exactly), not {Describe(e)}");
                }
            });
        }

        /// <summary>Any JSON value (a check's evidence: the check validates it when it is restored).</summary>
        public static Kind Any { get; } = new((_, _) => { });

        public static Kind Of(ObjectShape shape) => new(shape.Validate);

        public static Kind ArrayOf(ObjectShape shape) => new((e, path) =>
        {
            if (e.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(path, $"must be an array, not {Describe(e)}");
            }

            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                shape.Validate(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"));
            }
        });

        public Kind OrNull() => new(_validate, nullable: true);

        public void Validate(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                if (!_nullable)
                {
                    throw Invalid(path, "must not be null");
                }

                return;
            }

            _validate(element, path);
        }

        private static void Expect(JsonElement e, string path, JsonValueKind kind, string what)
        {
            if (e.ValueKind != kind)
            {
                throw Invalid(path, $"must be {what}, not {Describe(e)}");
            }
        }
    }
}
