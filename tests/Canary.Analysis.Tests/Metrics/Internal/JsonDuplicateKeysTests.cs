using System.Text.Json;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Tests.Metrics.Internal;

/// <summary>
/// The net8.0 guard against "last wins" keys. The tests build for net10.0 only, where the runtime already rejects
/// duplicates, so the helper is tested directly on documents parsed with duplicates allowed.
/// </summary>
public sealed class JsonDuplicateKeysTests
{
    private static string? Find(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonDuplicateKeys.Find(document.RootElement);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "$: \"a\"")]
    [InlineData("""{"a":{"b":1,"c":{"d":1,"d":1}}}""", "$.a.c: \"d\"")]
    [InlineData("""{"a":[{"x":1},{"x":1,"y":2,"x":3}]}""", "$.a[1]: \"x\"")]
    [InlineData("""[[{}],[{"k":null,"k":null}]]""", "$[1][0]: \"k\"")]
    [InlineData("""{"s":[{"format":"v1","format":"v2"}]}""", "$.s[0]: \"format\"")]
    [InlineData("""{"a":1,"\u0061":2}""", "$: \"a\"")]
    public void Find_RepeatedKeyAtAnyDepth_NamesWhere(string json, string expected) =>
        Assert.Equal(expected, Find(json));

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""[1,"a",null,true]""")]
    [InlineData("""{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"A":1,"a":2}""")]
    [InlineData("42")]
    public void Find_DistinctKeysPerObject_IsNull(string json) =>
        Assert.Null(Find(json));

    [Fact]
    public void Find_KeyEscapingALoneSurrogate_Throws()
    {
        using var document = JsonDocument.Parse("""{"\ud800":1}""");

        Assert.Throws<InvalidOperationException>(() => JsonDuplicateKeys.Find(document.RootElement));
    }
}
