using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>
/// Reflection over the saved-state types: the types reachable from a root through the properties that are saved (public,
/// readable, not <c>[JsonIgnore]</c>), a sample of each from real values, and copies that differ from a value in exactly one
/// saved property. Nothing is listed by hand, so a field added later is covered without touching the tests.
/// </summary>
internal static class SavedStateReflection
{
    private static readonly Assembly Library = typeof(RolloutState).Assembly;
    private static readonly DateTimeOffset SomeTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The saved properties of <paramref name="type"/>: public, readable, not indexers, not <c>[JsonIgnore]</c>.</summary>
    public static IReadOnlyList<PropertyInfo> SavedProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>(inherit: true) is null)
            .OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>Whether the type writes itself (a <c>[JsonConverter]</c> on the type): a leaf, compared by what it writes.</summary>
    public static bool WritesItself(Type type) => type.GetCustomAttribute<JsonConverterAttribute>() is not null;

    /// <summary>The library's classes reachable from <paramref name="roots"/> through saved properties (list items and nullable values included).</summary>
    public static IReadOnlyList<Type> Reachable(params Type[] roots)
    {
        var found = new List<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            if (found.Contains(type))
            {
                continue;
            }

            found.Add(type);
            if (WritesItself(type))
            {
                continue;
            }

            foreach (var property in SavedProperties(type))
            {
                var inner = ItemType(property.PropertyType) ?? property.PropertyType;
                inner = Nullable.GetUnderlyingType(inner) ?? inner;
                if (inner.Assembly == Library && inner.IsClass)
                {
                    queue.Enqueue(inner);
                }
            }
        }

        return found;
    }

    /// <summary>The first value of each of the library's classes met walking <paramref name="values"/> through saved properties.</summary>
    public static IReadOnlyDictionary<Type, object> Samples(IEnumerable<object> values)
    {
        var samples = new Dictionary<Type, object>();
        var pending = new Stack<object>(values.Reverse());
        while (pending.TryPop(out var value))
        {
            var type = value.GetType();
            if (type.Assembly != Library || !type.IsClass)
            {
                continue;
            }

            samples.TryAdd(type, value);
            if (WritesItself(type))
            {
                continue;
            }

            foreach (var property in SavedProperties(type))
            {
                switch (property.GetValue(value))
                {
                    case null or string:
                        break;
                    case IEnumerable items:
                        foreach (var item in items.Cast<object?>().Reverse().OfType<object>())
                        {
                            pending.Push(item);
                        }

                        break;
                    case var child:
                        pending.Push(child);
                        break;
                }
            }
        }

        return samples;
    }

    /// <summary>A copy of <paramref name="instance"/> with <paramref name="property"/> set to <paramref name="value"/>: by <c>with</c> (clone, then init), or through the constructor that takes it.</summary>
    /// <exception cref="InvalidOperationException">The property is saved but can be neither set nor passed to a constructor.</exception>
    public static object Rebuild(object instance, PropertyInfo property, object? value)
    {
        var type = instance.GetType();
        if (property.SetMethod is { IsPublic: true })
        {
            var copy = Clone(instance);
            property.SetValue(copy, value);
            return copy;
        }

        var constructor = type.GetConstructors().Where(c => c.GetParameters().Any(p => Names(p, property)))
            .OrderByDescending(c => c.GetCustomAttribute<JsonConstructorAttribute>() is not null).ThenByDescending(c => c.GetParameters().Length)
            .FirstOrDefault() ?? throw new InvalidOperationException($"{type.Name}.{property.Name} is saved, but can be neither set (init) nor passed to a constructor.");
        var properties = SavedProperties(type);
        var arguments = constructor.GetParameters()
            .Select(p => Names(p, property) ? value : properties.Single(q => Names(p, q)).GetValue(instance))
            .ToArray();
        var made = constructor.Invoke(arguments);
        foreach (var other in properties.Where(p => p.SetMethod is { IsPublic: true } && !constructor.GetParameters().Any(c => Names(c, p))))
        {
            other.SetValue(made, other.GetValue(instance));
        }

        return made;
    }

    /// <summary>As <see cref="Rebuild"/>, or null when the type refuses the value (its constructor throws an <see cref="ArgumentException"/>).</summary>
    public static object? TryRebuild(object instance, PropertyInfo property, object? value)
    {
        try
        {
            return Rebuild(instance, property, value);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The record's <c>with { }</c>: its compiler-made clone.</summary>
    public static object Clone(object instance) =>
        instance.GetType().GetMethods().First(m => m.Name == "<Clone>$" && m.DeclaringType == instance.GetType()).Invoke(instance, null)!;

    /// <summary>Whether <paramref name="type"/> is a record (it has the compiler-made clone behind <c>with</c>).</summary>
    public static bool IsRecord(Type type) => type.GetMethods().Any(m => m.Name == "<Clone>$");

    /// <summary>The type's own <c>==</c>.</summary>
    public static bool OperatorEquals(object left, object right)
    {
        var type = left.GetType();
        return (bool)type.GetMethod("op_Equality", [type, type])!.Invoke(null, [left, right])!;
    }

    /// <summary>A new mutable list holding the items of a list value (so an equal value is a different object), or the value itself.</summary>
    public static object? FreshCopy(Type propertyType, object? value) =>
        ItemType(propertyType) is { } item && value is IEnumerable items ? ListOf(item, items.Cast<object?>()) : value;

    /// <summary>The item type of an <see cref="IReadOnlyList{T}"/> type, or null.</summary>
    public static Type? ItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>A <see cref="List{T}"/> of <paramref name="item"/> holding <paramref name="items"/>.</summary>
    public static IList ListOf(Type item, IEnumerable<object?> items)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
        foreach (var value in items)
        {
            list.Add(value);
        }

        return list;
    }

    /// <summary>Values of a property that differ from <paramref name="current"/> (the type may still refuse some).</summary>
    public static IEnumerable<object?> Different(PropertyInfo property, object? current, IReadOnlyDictionary<Type, object> samples)
    {
        var nullable = new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable;
        return Different(property.PropertyType, current, nullable, samples);
    }

    /// <summary>A value of <paramref name="type"/> for a property that holds none (null): a sample, or a plain value.</summary>
    public static object Sample(Type type, IReadOnlyDictionary<Type, object> samples) =>
        samples.TryGetValue(type, out var sample) ? sample : type switch
        {
            _ when type == typeof(string) => "x",
            _ when type == typeof(DateTimeOffset) => SomeTime,
            _ when type == typeof(CheckEvidence) => CheckEvidence.FromJson(JsonSerializer.SerializeToElement(new { sample = 1 })),
            _ when type.IsValueType => Activator.CreateInstance(type)!,
            _ => throw new InvalidOperationException($"No sample of {type.Name}: add a value holding one to the samples."),
        };

    private static IEnumerable<object?> Different(Type type, object? current, bool nullable, IReadOnlyDictionary<Type, object> samples)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (current is null)
        {
            yield return Sample(underlying, samples);
            yield break;
        }

        if (nullable || underlying != type)
        {
            yield return null;
        }

        switch (current)
        {
            case bool b:
                yield return !b;
                break;
            case int i:
                yield return i + 1;
                yield return i - 1;
                break;
            case long l:
                yield return l + 1;
                yield return l - 1;
                break;
            case double d:
                yield return double.IsNaN(d) ? 1.0 : Math.BitIncrement(d);
                yield return double.IsNaN(d) ? 0.5 : Math.BitDecrement(d);
                break;
            case string s:
                yield return s + "x";
                break;
            case DateTimeOffset t:
                yield return t.AddMinutes(1);
                yield return t.AddMinutes(-1);
                break;
            case Enum e:
                foreach (var other in Enum.GetValues(underlying).Cast<object>().Where(v => !v.Equals(e)))
                {
                    yield return other;
                }

                break;
            case CheckEvidence evidence:
                yield return CheckEvidence.FromJson(JsonDocument.Parse($"{{\"other\":{evidence.Json.GetRawText()}}}").RootElement);
                break;
            case IEnumerable list when ItemType(type) is { } item:
                var items = list.Cast<object?>().ToList();
                if (items.Count > 0)
                {
                    foreach (var first in Different(item, items[0], nullable: false, samples).Take(3))
                    {
                        yield return ListOf(item, [first, .. items.Skip(1)]);
                    }

                    yield return ListOf(item, items.SkipLast(1));
                }

                yield return ListOf(item, [.. items, items.Count > 0 ? items[^1] : Sample(item, samples)]);
                break;
            default:
                if (underlying.Assembly != Library)
                {
                    throw new InvalidOperationException($"No other value of {type.Name} is known to the test: teach it one.");
                }

                // A copy that differs in one saved property (each type's own properties are checked on its own).
                foreach (var variant in Variants(current, samples).Take(1))
                {
                    yield return variant;
                }

                break;
        }
    }

    /// <summary>Copies of <paramref name="instance"/>, each differing from it in one saved property.</summary>
    private static IEnumerable<object> Variants(object instance, IReadOnlyDictionary<Type, object> samples)
    {
        foreach (var property in SavedProperties(instance.GetType()))
        {
            foreach (var value in Different(property, property.GetValue(instance), samples))
            {
                if (TryRebuild(instance, property, value) is { } variant)
                {
                    yield return variant;
                }
            }
        }
    }

    private static bool Names(ParameterInfo parameter, PropertyInfo property) =>
        string.Equals(parameter.Name, property.Name, StringComparison.OrdinalIgnoreCase);
}
