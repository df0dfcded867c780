using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Canary.Analysis.Internal;

/// <summary>Argument checks that hand the checked argument back, so a constructor checks and keeps it in one statement.</summary>
internal static class Guard
{
    /// <summary>The argument, checked not to be null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }

    /// <summary>The argument, checked not to be null and to be valid (<see cref="IValidatable.Validate"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is invalid.</exception>
    public static T Validated<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class, IValidatable
    {
        ArgumentNullException.ThrowIfNull(value, name);
        value.Validate();
        return value;
    }
}
