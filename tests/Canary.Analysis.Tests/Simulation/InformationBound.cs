namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// What the information allows: the detection probability of the most powerful test (Neyman–Pearson, randomised) of "the
/// canary's error rate is p0" against "it is p1", at level α, when the canary's request count is Poisson(λ) and p0 is
/// known exactly (a real check must estimate it from the baseline). No check can detect more often at that α; a check
/// that must hold α over every look of a whole policy detects less. Checked against
/// <c>Reference/information-bound.py</c>, an independent implementation.
/// </summary>
internal static class InformationBound
{
    /// <summary>The best detection probability at level <paramref name="alpha"/>.</summary>
    public static double BestDetection(double expectedRequests, double p0, double p1, double alpha)
    {
        var top = (int)(expectedRequests + (12 * Math.Sqrt(expectedRequests)) + 30);
        var logFactorial = new double[top + 1];
        for (var i = 2; i <= top; i++)
        {
            logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        }

        double LogFactorial(int n) => logFactorial[n];
        var cells = new List<(double LogRatio, double Null, double Alternative)>();
        for (var n = 0; n <= top; n++)
        {
            var logPoisson = -expectedRequests + (n * Math.Log(expectedRequests)) - LogFactorial(n);
            for (var k = 0; k <= n; k++)
            {
                var choose = LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);
                var log0 = choose + (k * Math.Log(p0)) + ((n - k) * Math.Log(1 - p0));
                var log1 = choose + (k * Math.Log(p1)) + ((n - k) * Math.Log(1 - p1));
                cells.Add((log1 - log0, Math.Exp(logPoisson + log0), Math.Exp(logPoisson + log1)));
            }
        }

        // Reject the outcomes most likely under p1 relative to p0 first, until the level is spent (the last one in part).
        double size = 0, power = 0;
        foreach (var (_, under0, under1) in cells.OrderByDescending(c => c.LogRatio))
        {
            if (size + under0 <= alpha)
            {
                (size, power) = (size + under0, power + under1);
                continue;
            }

            return power + (under1 * (alpha - size) / under0);
        }

        return power;
    }

    /// <summary>The shortest whole number of minutes after which the best test reaches <paramref name="power"/>.</summary>
    public static int MinutesAllowed(double requestsPerMinute, double p0, double p1, double alpha, double power)
    {
        var minutes = 1;
        while (BestDetection(requestsPerMinute * minutes, p0, p1, alpha) < power)
        {
            minutes++;
        }

        return minutes;
    }
}
