namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>A controller's looks: about a minute apart, each up to 0.9 s early or late at a tick offset, seeded.</summary>
internal static class JitteredLooks
{
    /// <summary>Looks from <paramref name="first"/> while before <paramref name="until"/>.</summary>
    public static List<DateTimeOffset> From(DateTimeOffset first, DateTimeOffset until, int seed)
    {
        var random = new Random(seed);
        var looks = new List<DateTimeOffset>();
        var look = first;
        while (look < until)
        {
            looks.Add(look);
            look = look.AddMinutes(1).AddTicks(random.NextInt64(-9_000_000, 9_000_000));
        }

        return looks;
    }
}
