#!/usr/bin/env Rscript
# Reference vectors for the proportion tests of Canary.Analysis.Statistics, computed by R itself:
# prop.test (two-sample and one-sample against a floor), binom.test and fisher.test.
#
#   cd tests/Canary.Analysis.Tests/Statistics/Reference && Rscript generate-proportions.R
#
# writes r-proportions.json (committed). Numbers are printed with 17 significant digits, so every double
# round-trips exactly; non-finite numbers are written as the strings "Infinity", "-Infinity", "NaN".
# Cases where R stops with an error, or returns a NaN p-value, are left out (the C# tests cover those by hand).

set.seed(20240602)

num <- function(v) {
  vapply(v, function(a) {
    if (is.na(a)) "\"NaN\"" else if (is.infinite(a)) if (a > 0) "\"Infinity\"" else "\"-Infinity\""
    else sprintf("%.17g", a)
  }, "")
}
str <- function(s) paste0("\"", s, "\"")
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("\"%s\":%s", names(kv), unlist(kv)), collapse = ","), "}")
}
alts <- c("two.sided", "less", "greater")
levels <- c(0.95, 0.9, 0.99)

# ---- two-sample: (canary successes, canary n, baseline successes, baseline n) ---------------------------------
two <- list(c(480, 500, 470, 500), c(95, 100, 99, 100), c(5, 300, 28, 5700), c(0, 50, 3, 950), c(50, 50, 940, 950),
            c(12345, 12500, 98765, 100000), c(1, 2, 1, 3), c(3, 40, 20, 40), c(10, 100, 20, 200), c(0, 10, 10, 10),
            c(299, 300, 5671, 5700), c(1, 300, 0, 5700), c(7, 7, 6, 7), c(400, 1000, 401, 1000))
for (i in 1:16) {
  n1 <- sample(c(5, 20, 60, 300, 1000, 20000), 1); n2 <- sample(c(8, 40, 100, 950, 5700, 50000), 1)
  p <- runif(1, 0.5, 1); d <- runif(1, -0.1, 0.05)
  two[[length(two) + 1]] <- c(rbinom(1, n1, min(1, max(0, p + d))), n1, rbinom(1, n2, p), n2)
}
ptwo <- character()
for (t in two) for (a in alts) for (correct in c(TRUE, FALSE)) for (cl in levels) {
  r <- tryCatch(suppressWarnings(prop.test(x = t[c(1, 3)], n = t[c(2, 4)], alternative = a, conf.level = cl, correct = correct)),
                error = function(e) NULL)
  if (is.null(r) || is.na(r$p.value)) next
  ptwo <- c(ptwo, obj(x1 = num(t[1]), n1 = num(t[2]), x2 = num(t[3]), n2 = num(t[4]), alternative = str(a),
                      correct = if (correct) "true" else "false", conf_level = num(cl), method = str(r$method),
                      statistic = num(unname(r$statistic)), p_value = num(r$p.value),
                      estimate = num(unname(r$estimate[1] - r$estimate[2])),
                      conf_low = num(r$conf.int[1]), conf_high = num(r$conf.int[2])))
}

# ---- one-sample against a floor: (successes, n, floor) ---------------------------------------------------------
one <- list(c(96, 100, 0.95), c(0, 10, 0.5), c(10, 10, 0.9), c(45, 50, 0.99), c(4950, 5000, 0.99), c(50, 100, 0.5),
            c(1, 1, 0.5), c(0, 1, 0.01), c(299, 300, 0.995), c(93, 100, 0.95), c(99990, 100000, 0.9995),
            c(7, 40, 0.5), c(20, 20, 0.999), c(3, 3000, 0.001))
for (i in 1:16) {
  n <- sample(c(3, 15, 50, 300, 1000, 6000), 1); p <- runif(1, 0.6, 0.999); d <- runif(1, -0.05, 0.02)
  one[[length(one) + 1]] <- c(rbinom(1, n, min(1, max(0, p + d))), n, round(p, 4))
}
pone <- character()
bin <- character()
for (t in one) for (a in alts) for (cl in levels) {
  for (correct in c(TRUE, FALSE)) {
    r <- tryCatch(suppressWarnings(prop.test(x = t[1], n = t[2], p = t[3], alternative = a, conf.level = cl, correct = correct)),
                  error = function(e) NULL)
    if (is.null(r) || is.na(r$p.value)) next
    pone <- c(pone, obj(x = num(t[1]), n = num(t[2]), p = num(t[3]), alternative = str(a),
                        correct = if (correct) "true" else "false", conf_level = num(cl), method = str(r$method),
                        statistic = num(unname(r$statistic)), p_value = num(r$p.value), estimate = num(unname(r$estimate)),
                        conf_low = num(r$conf.int[1]), conf_high = num(r$conf.int[2])))
  }
  r <- binom.test(x = t[1], n = t[2], p = t[3], alternative = a, conf.level = cl)
  bin <- c(bin, obj(x = num(t[1]), n = num(t[2]), p = num(t[3]), alternative = str(a), conf_level = num(cl),
                    p_value = num(r$p.value), estimate = num(unname(r$estimate)),
                    conf_low = num(r$conf.int[1]), conf_high = num(r$conf.int[2])))
}

# ---- fisher.test on matrix(c(canary successes, canary failures, baseline successes, baseline failures), 2) -------
fish <- list(c(0, 10, 5, 10), c(10, 10, 3, 10), c(3, 5, 1, 5), c(295, 300, 5672, 5700), c(1, 1, 1, 1),
             c(0, 10, 0, 10), c(10, 10, 20, 20), c(2, 300, 30, 5700), c(9900, 10000, 99000, 100000),
             c(5, 8, 5, 8), c(1, 2, 0, 1), c(0, 3, 7, 7), c(140, 150, 130, 150), c(298, 300, 5700, 5700))
for (i in 1:16) {
  n1 <- sample(c(4, 12, 40, 300, 2000), 1); n2 <- sample(c(6, 30, 100, 950, 5700), 1)
  p <- runif(1, 0.5, 1); d <- runif(1, -0.15, 0.05)
  fish[[length(fish) + 1]] <- c(rbinom(1, n1, min(1, max(0, p + d))), n1, rbinom(1, n2, p), n2)
}
fis <- character()
for (t in fish) for (a in alts) for (cl in levels) {
  m <- matrix(c(t[1], t[2] - t[1], t[3], t[4] - t[3]), 2)
  r <- tryCatch(fisher.test(m, alternative = a, conf.level = cl), error = function(e) NULL)
  if (is.null(r)) next
  fis <- c(fis, obj(x1 = num(t[1]), n1 = num(t[2]), x2 = num(t[3]), n2 = num(t[4]), alternative = str(a),
                    conf_level = num(cl), p_value = num(r$p.value), estimate = num(unname(r$estimate)),
                    conf_low = num(r$conf.int[1]), conf_high = num(r$conf.int[2])))
}

out <- paste0("{\n\"r_version\":", str(R.version.string), ",\n\"seed\":20240602,\n",
              "\"prop_two\":[\n", paste(ptwo, collapse = ",\n"), "\n],\n",
              "\"prop_one\":[\n", paste(pone, collapse = ",\n"), "\n],\n",
              "\"binom\":[\n", paste(bin, collapse = ",\n"), "\n],\n",
              "\"fisher\":[\n", paste(fis, collapse = ",\n"), "\n]\n}\n")
writeLines(out, "r-proportions.json", sep = "")
cat(sprintf("%d prop.test two-sample, %d one-sample, %d binom.test, %d fisher.test cases\n",
            length(ptwo), length(pone), length(bin), length(fis)))
