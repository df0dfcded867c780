using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class LabelSelectorTests
{
    [Fact]
    public void Parse_AllFourOperators_ReadsNamesOperatorsAndValues()
    {
        var selector = LabelSelector.Parse("version=\"canary\",pod=~\"web-.*\", zone != \"b\" ,app!~'x|y'");

        Assert.Collection(
            selector.Matchers,
            m => Assert.Equal(("version", MatchOperator.Equal, "canary"), (m.Name, m.Operator, m.Value)),
            m => Assert.Equal(("pod", MatchOperator.Regex, "web-.*"), (m.Name, m.Operator, m.Value)),
            m => Assert.Equal(("zone", MatchOperator.NotEqual, "b"), (m.Name, m.Operator, m.Value)),
            m => Assert.Equal(("app", MatchOperator.NotRegex, "x|y"), (m.Name, m.Operator, m.Value)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{}")]
    [InlineData(" { } ")]
    public void Parse_Empty_GivesEmptySelector(string text) => Assert.Empty(LabelSelector.Parse(text).Matchers);

    [Fact]
    public void Parse_BracesAndTrailingComma_Accepted()
    {
        var selector = LabelSelector.Parse("{ version = \"canary\", }");
        Assert.Equal("version=\"canary\"", selector.ToString());
    }

    [Theory]
    [InlineData("a=\"x\\\"y\"", "x\"y")]
    [InlineData("a=\"back\\\\slash\"", "back\\slash")]
    [InlineData("a=\"new\\nline\"", "new\nline")]
    [InlineData("a=\"\\u00e9\\x41\\101\"", "éAA")]
    [InlineData("a='it\\'s'", "it's")]
    [InlineData("a=`raw\\n`", "raw\\n")]
    [InlineData("a=\"caf\\xc3\\xa9\"", "café")]
    [InlineData("a=\"caf\\303\\251\"", "café")]
    [InlineData("a=\"\\xe2\\x82\\xac=\\u20ac\"", "€=€")]
    [InlineData("a=\"\\xC3\\251!\"", "é!")]
    public void Parse_EscapesInValues_Unescaped(string text, string expected) =>
        Assert.Equal(expected, LabelSelector.Parse(text).Matchers[0].Value);

    [Theory]
    [InlineData("version", "position 7")]
    [InlineData("version=canary", "expected a quoted value")]
    [InlineData("version=\"canary", "unterminated")]
    [InlineData("1abc=\"x\"", "expected a label name")]
    [InlineData("a=\"x\" b=\"y\"", "unexpected text")]
    [InlineData("{a=\"x\"", "expected '}'")]
    [InlineData("a=~\"(\"", "invalid regular expression")]
    [InlineData("a=\"\\q\"", "unknown escape")]
    [InlineData("a==\"x\"", "expected a quoted value")]
    [InlineData("a=\"\\xe9\"", "valid UTF-8 (E9 does not)")]
    [InlineData("a=\"\\xc3x\"", "valid UTF-8")]
    [InlineData("a=\"\\777\"", "at most \\377")]
    [InlineData("a=\"\\xg0\"", "2 hex digits")]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheProblemAndText(string text, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => LabelSelector.Parse(text));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Invalid_ReturnsFalse()
    {
        Assert.False(LabelSelector.TryParse("a=", out var selector));
        Assert.Null(selector);
        Assert.False(LabelSelector.TryParse(null, out _));
    }

    [Theory]
    [InlineData("version=\"canary\",pod=~\"web-.*\"")]
    [InlineData("a=\"} or vector(1) # \\\"\"")]
    [InlineData("a!~\"\\\\d+\\n\"")]
    public void ToString_RoundTripsThroughParse(string text)
    {
        var selector = LabelSelector.Parse(text);
        Assert.Equal(selector, LabelSelector.Parse(selector.ToString()));
    }

    [Fact]
    public void ToString_HostileValue_StaysInsideOneStringLiteral()
    {
        // A value that would close the selector and append a query if pasted raw.
        var hostile = "x\"} or on() vector(1) or up{a=\"";
        var selector = LabelSelector.Of(LabelMatcher.Equal("version", hostile));

        var rendered = selector.ToString();

        Assert.Equal("version=\"x\\\"} or on() vector(1) or up{a=\\\"\"", rendered);
        Assert.Equal(hostile, LabelSelector.Parse(rendered).Matchers[0].Value);
    }

    [Fact]
    public void LabelMatcher_InvalidName_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => LabelMatcher.Equal("bad-name", "x"));
        Assert.Contains("'bad-name'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_CombinesMatchersInOrder()
    {
        var selector = LabelSelector.Parse("a=\"1\"").And(LabelMatcher.Regex("b", "2|3")).And(LabelSelector.Parse("c!=\"4\""));
        Assert.Equal("a=\"1\",b=~\"2|3\",c!=\"4\"", selector.ToString());
        Assert.Same(selector, selector.And(LabelSelector.Empty));
    }
}
