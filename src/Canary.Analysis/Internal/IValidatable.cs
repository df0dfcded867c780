namespace Canary.Analysis.Internal;

/// <summary>Settings that check themselves: <see cref="Validate"/> throws an <see cref="ArgumentException"/> naming the bad setting.</summary>
internal interface IValidatable
{
    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and its value.</exception>
    void Validate();
}
