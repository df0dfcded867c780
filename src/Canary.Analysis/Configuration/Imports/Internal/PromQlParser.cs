using System.Globalization;
using System.Text;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Reads the PromQL that canary tools' templates hold into <see cref="PromQlNode"/>s: selectors, ranges, calls,
/// aggregations (<c>by</c>/<c>without</c> before or after), binary operators with their precedence and <c>on</c>/<c>ignoring</c>
/// modifiers. Subqueries, <c>offset</c> and <c>@</c> are refused: an import reports such a query rather than guess.
/// </summary>
internal sealed class PromQlParser
{
    private static readonly HashSet<string> Aggregations = new(StringComparer.Ordinal)
    {
        "sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
    };

    private static readonly string[][] Precedence = [["or", "unless"], ["and"], ["==", "!=", "<=", ">=", "<", ">"], ["+", "-"], ["*", "/", "%", "atan2"]];

    private readonly List<string> _tokens;
    private int _position;

    private PromQlParser(List<string> tokens) => _tokens = tokens;

    /// <summary>Parses an expression.</summary>
    /// <returns>The expression, or null with the reason when it is not PromQL this reader understands.</returns>
    public static (PromQlNode? Node, string? Problem) Parse(string text)
    {
        try
        {
            var parser = new PromQlParser(Tokenize(text));
            var node = parser.Expression(0);
            return parser._position == parser._tokens.Count ? (node, null) : (null, $"unexpected '{parser._tokens[parser._position]}'");
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    private PromQlNode Expression(int level)
    {
        if (level == Precedence.Length)
        {
            return Unary();
        }

        var left = Expression(level + 1);
        while (Peek() is { } op && Precedence[level].Contains(op, StringComparer.Ordinal))
        {
            _position++;
            if (Peek() == "bool")
            {
                _position++;
            }

            var matching = Modifiers();
            left = new PromQlBinary(op, left, Expression(level + 1), matching);
        }

        return left;
    }

    private bool Modifiers()
    {
        var matching = false;
        while (Peek() is "on" or "ignoring" or "group_left" or "group_right")
        {
            matching = true;
            _position++;
            if (Peek() == "(")
            {
                _ = Labels();
            }
        }

        return matching;
    }

    private PromQlNode Unary()
    {
        if (Peek() is "-" or "+")
        {
            var sign = Next();
            var operand = Unary();
            return sign == "-" ? new PromQlBinary("*", new PromQlNumber(-1), operand, false) : operand;
        }

        var node = Postfix();
        if (Peek() == "^")
        {
            _position++;
            node = new PromQlBinary("^", node, Unary(), Modifiers());
        }

        return node;
    }

    private PromQlNode Postfix()
    {
        var node = Primary();
        if (Peek() == "[")
        {
            _position++;
            var range = Next();
            if (Peek() != "]" || range.Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException("subqueries are not read");
            }

            _position++;
            node = node is PromQlSelector { Range: null } selector ? selector with { Range = range } : throw new FormatException("a range applies to a selector only");
        }

        if (Peek() is "offset" or "@")
        {
            throw new FormatException($"'{Peek()}' is not read");
        }

        return node;
    }

    private PromQlNode Primary()
    {
        var token = Next();
        if (token == "(")
        {
            var inner = Expression(0);
            Expect(")");
            return inner;
        }

        if (token[0] is '"' or '\'' or '`')
        {
            return new PromQlString(token[1..]);
        }

        if (char.IsAsciiDigit(token[0]) || token[0] == '.' || token is "Inf" or "NaN")
        {
            return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? new PromQlNumber(number)
                : throw new FormatException($"'{token}' is not a number");
        }

        if (token == "{")
        {
            return new PromQlSelector(null, Matchers(), null);
        }

        if (!IsIdentifier(token))
        {
            throw new FormatException($"unexpected '{token}'");
        }

        if (Aggregations.Contains(token) && Peek() is "(" or "by" or "without")
        {
            var (grouping, without) = Grouping();
            var arguments = Arguments();
            if (grouping is null)
            {
                (grouping, without) = Grouping();
            }

            return new PromQlAggregation(token, grouping, without, arguments);
        }

        if (Peek() == "(")
        {
            return new PromQlCall(token, Arguments());
        }

        return new PromQlSelector(token, Peek() == "{" ? SkipAnd(Matchers) : [], null);
    }

    private T SkipAnd<T>(Func<T> then)
    {
        _position++;
        return then();
    }

    private (IReadOnlyList<string>? Grouping, bool Without) Grouping()
    {
        if (Peek() is not ("by" or "without"))
        {
            return (null, false);
        }

        var without = Next() == "without";
        return (Labels(), without);
    }

    private List<string> Labels()
    {
        Expect("(");
        var labels = new List<string>();
        while (Peek() != ")")
        {
            labels.Add(Next());
            if (Peek() == ",")
            {
                _position++;
            }
        }

        _position++;
        return labels;
    }

    private List<PromQlNode> Arguments()
    {
        Expect("(");
        var arguments = new List<PromQlNode>();
        while (Peek() != ")")
        {
            arguments.Add(Expression(0));
            if (Peek() == ",")
            {
                _position++;
            }
            else if (Peek() != ")")
            {
                throw new FormatException($"expected ',' or ')', found '{Peek() ?? "the end"}'");
            }
        }

        _position++;
        return arguments;
    }

    // After '{': matchers up to and including '}'.
    private List<PromQlMatcher> Matchers()
    {
        var matchers = new List<PromQlMatcher>();
        while (Peek() != "}")
        {
            var name = Next();
            var op = Next();
            var value = Next();
            if (!IsIdentifier(name) || op is not ("=" or "!=" or "=~" or "!~") || value[0] is not ('"' or '\'' or '`'))
            {
                throw new FormatException($"'{name}{op}{value}' is not a label matcher");
            }

            matchers.Add(new PromQlMatcher(name, op, value[1..]));
            if (Peek() == ",")
            {
                _position++;
            }
        }

        _position++;
        return matchers;
    }

    private string? Peek() => _position < _tokens.Count ? _tokens[_position] : null;

    private string Next() => _position < _tokens.Count ? _tokens[_position++] : throw new FormatException("the expression ends too early");

    private void Expect(string token)
    {
        if (Next() != token)
        {
            throw new FormatException($"expected '{token}'");
        }
    }

    private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsAsciiLetter(token[0]) || token[0] is '_' or ':');

    // Tokens: punctuation, operators, identifiers, numbers and durations, and strings (kept with their opening quote, unescaped).
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '"' or '\'' or '`')
            {
                var value = new StringBuilder().Append(c);
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && c != '`' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                if (i == text.Length)
                {
                    throw new FormatException("a string is not closed");
                }

                i++;
                tokens.Add(value.ToString());
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or ':' or '.'
                    || (text[i] is '+' or '-' && i > start && text[i - 1] is 'e' or 'E' && char.IsAsciiDigit(text[start]))))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else if (i + 1 < text.Length && text.AsSpan(i, 2) is "==" or "!=" or "<=" or ">=" or "=~" or "!~")
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else if ("(){}[],=<>+-*/%^@".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                throw new FormatException($"'{c}' is not PromQL");
            }
        }

        return tokens;
    }
}
