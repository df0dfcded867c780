using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Tests.Metrics.Internal;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("http://admin:hunter2@prom:9090/api?x=1", "http://***@prom:9090/api?***")]
    [InlineData("https://prom.example.com/prefix/", "https://prom.example.com/prefix/")]
    [InlineData("http://10.0.0.7:8080/metrics?token=abc123", "http://10.0.0.7:8080/metrics?***")]
    public void Address_RemovesUserInfoAndQuery(string address, string expected) =>
        Assert.Equal(expected, Redaction.Address(new Uri(address)));

    [Theory]
    [InlineData("Authorization: Bearer eyJabc.def", "eyJabc")]
    [InlineData("{\"headers\":{\"Authorization\":[\"Basic dXNlcjpwYXNz\"]}}", "dXNlcjpwYXNz")]
    [InlineData("proxy-authorization=Bearer zzz-secret-zzz", "zzz-secret-zzz")]
    [InlineData("X-Api-Key: k-123456", "k-123456")]
    [InlineData("\"DD-API-KEY\": \"ddkey987\"", "ddkey987")]
    [InlineData("failed GET http://u:p4ssw0rd@host/metrics", "p4ssw0rd")]
    [InlineData("failed GET http://host/metrics?access_token=qwerty99 (500)", "qwerty99")]
    [InlineData("token=abcdefgh&x=1", "abcdefgh")]
    public void Text_RemovesCredentialLookingParts(string text, string secret)
    {
        var redacted = Redaction.Text(text, []);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(Redaction.Mask, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_RemovesConfiguredSecretsInPlainAndEscapedForm()
    {
        var secrets = Redaction.Secrets(["s3cr3t/with+chars", "abc"]);

        var redacted = Redaction.Text("echo s3cr3t/with+chars and s3cr3t%2Fwith%2Bchars, abc stays", secrets);

        Assert.Equal("echo *** and ***, abc stays", redacted);
    }

    [Fact]
    public void Text_LeavesOrdinaryMessagesAlone()
    {
        const string message = "bad_data: 1:5: parse error: unexpected \"}\" in label matching; basic authentication is off — query: sum(rate(x[5m]))";

        Assert.Equal(message, Redaction.Text(message, Redaction.Secrets(["unrelated-secret"])));
    }

    [Fact]
    public void Inner_ReplacesFlurlExceptionByItsRedactedCause()
    {
        var cause = new HttpRequestException("Connection refused http://u:hunter22@host:9/");
        var flurl = new Flurl.Http.FlurlHttpException(null!, "Call failed. GET http://u:hunter22@host:9/api/v1/query?query=up", cause);

        var inner = Redaction.Inner(flurl, []);

        Assert.NotNull(inner);
        Assert.IsNotType<Flurl.Http.FlurlHttpException>(inner);
        Assert.DoesNotContain("hunter22", inner.ToString(), StringComparison.Ordinal);
    }
}
