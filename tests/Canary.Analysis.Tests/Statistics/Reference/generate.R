#!/usr/bin/env Rscript
# Reference vectors for Canary.Analysis.Statistics, computed by R itself.
#
#   cd tests/Canary.Analysis.Tests/Statistics/Reference && Rscript generate.R
#
# writes r-reference.json (committed). Inputs and outputs are printed with 17 significant digits, so every
# double round-trips exactly. Non-finite numbers are written as the strings "Infinity", "-Infinity", "NaN".
# Cases where R stops with an error are left out.

set.seed(20240601)

num <- function(v) {
  vapply(v, function(a) {
    if (is.na(a)) "\"NaN\"" else if (is.infinite(a)) if (a > 0) "\"Infinity\"" else "\"-Infinity\""
    else sprintf("%.17g", a)
  }, "")
}
arr <- function(v) paste0("[", paste(num(v), collapse = ","), "]")
str <- function(s) paste0("\"", s, "\"")
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("\"%s\":%s", names(kv), unlist(kv)), collapse = ","), "}")
}

# ---- data sets --------------------------------------------------------------------------------------------
datasets <- list()
add <- function(name, x, y) datasets[[name]] <<- list(x = x, y = y)

add("exact_5_6", rnorm(5, 10, 2), rnorm(6, 12, 2))
add("exact_10_12_shift", rnorm(10, 0, 1) + 1, rnorm(12, 0, 1))
add("exact_20_15", rexp(20, 1), rexp(15, 0.7))
add("exact_49_49", rnorm(49, 100, 15), rnorm(49, 104, 15))
add("exact_1_5", c(3.5), c(1.25, 2.5, 4.75, 5.5, 6.125))
add("exact_3_1", c(0.5, 1.5, 2.5), c(2))
add("kayenta_small", c(10, 20, 30, 40), c(1, 2, 3, 4))
add("exact_30_40_overlap", runif(30, 0, 1), runif(40, 0.2, 1.2))
add("forced_exact_60_55", rnorm(60, 5, 1), rnorm(55, 5.3, 1))
add("ties_small", round(rnorm(12, 3, 1), 0), round(rnorm(15, 3.5, 1), 0))
add("ties_integers_40_45", rpois(40, 3), rpois(45, 4))
add("normal_50_80", rnorm(50, 0, 1), rnorm(80, 0.3, 1.2))
add("normal_200_150_lognormal", rlnorm(200, 0, 1), rlnorm(150, 0.1, 1))
add("normal_1000_1000", rnorm(1000, 250, 40), rnorm(1000, 252, 40))
add("normal_1000_1000_ties", round(rgamma(1000, 2, 0.02), -1), round(rgamma(1000, 2, 0.021), -1))
add("zero_inflated_210_210", ifelse(runif(210) < 0.6, 0, rexp(210, 3)), ifelse(runif(210) < 0.7, 0, rexp(210, 3)))
add("kayenta_ties_90_90",
    c(2.5, 2.5, 2.0, 2.5, 3.5, 2.0, 3.5, 1.5, 3.0, 3.0, 2.5, 3.5, 2.0, 2.5, 2.0, 2.0, 5.0, 3.0, 2.0, 1.5, 2.0, 4.0, 3.0, 2.5, 3.0, 2.0, 2.0, 2.0, 2.5, 3.5, 1.5, 1.5, 3.5, 2.0, 2.5, 2.5, 3.0, 3.5, 2.5, 6.5, 2.5, 4.0, 2.5, 3.0, 2.5, 6.5, 2.5, 3.0, 1.5, 2.0, 2.5, 3.0, 7.5, 1.5, 2.0, 4.0, 2.5, 2.0, 2.5, 3.5, 4.0, 2.5, 3.0, 2.5, 2.0, 3.5, 3.0, 16.5, 3.0, 3.0, 7.0, 4.5, 5.0, 2.0, 3.5, 6.0, 1.5, 3.0, 2.5, 4.0, 3.0, 1.5, 5.0, 3.0, 2.5, 5.5, 3.0, 1.5, 2.5, 6.0),
    c(1.5, 6.0, 5.0, 2.5, 2.5, 2.0, 2.0, 3.5, 3.0, 3.0, 3.0, 2.0, 3.0, 8.0, 4.0, 2.5, 3.0, 2.5, 2.5, 2.0, 2.5, 2.0, 2.0, 2.5, 3.5, 3.0, 1.5, 5.0, 2.5, 5.5, 2.0, 2.5, 3.5, 2.0, 2.5, 4.0, 2.0, 2.0, 2.0, 2.0, 5.5, 4.5, 4.0, 3.0, 3.0, 3.5, 2.5, 3.0, 2.5, 4.0, 6.0, 2.0, 5.0, 6.0, 3.5, 3.0, 54.5, 3.0, 5.0, 6.0, 3.5, 4.5, 2.5, 2.0, 6.0, 5.0, 2.5, 3.5, 2.0, 3.0, 2.5, 3.5, 3.5, 2.5, 3.0, 4.5, 3.0, 15.5, 5.0, 2.5, 3.0, 4.0, 3.5, 4.0, 4.0, 2.0, 4.5, 2.5, 4.0, 3.0))
add("with_nan", c(1.2, NaN, 3.4, 2.2, 5.1, NA, 0.7), c(2.5, 3.3, NaN, 4.1, 1.9))
add("constant_vs_constant", rep(2, 8), rep(3, 6))
add("one_vs_many_ties", c(1, 1, 1, 1, 10), c(1, 1, 1, 1, 1))
add("spinnaker_6278", c(rep(100, 7), rep(1, 3)), rep(1, 10))

# ---- wilcox.test cases ------------------------------------------------------------------------------------
alts <- c("two.sided", "less", "greater")
settings <- function(name) {
  n <- length(datasets[[name]]$x) + length(datasets[[name]]$y)
  s <- list()
  for (a in alts) {
    s[[length(s) + 1]] <- list(alternative = a, mu = 0, exact = NULL, correct = TRUE, conf.level = 0.95)
    s[[length(s) + 1]] <- list(alternative = a, mu = 0, exact = NULL, correct = FALSE, conf.level = 0.9)
    s[[length(s) + 1]] <- list(alternative = a, mu = 0.5, exact = NULL, correct = TRUE, conf.level = 0.99)
    if (n < 200) {
      s[[length(s) + 1]] <- list(alternative = a, mu = -0.25, exact = FALSE, correct = TRUE, conf.level = 0.95)
      s[[length(s) + 1]] <- list(alternative = a, mu = 0, exact = FALSE, correct = FALSE, conf.level = 0.99)
    }
  }
  if (name == "forced_exact_60_55") {
    for (a in alts) s[[length(s) + 1]] <- list(alternative = a, mu = 0, exact = TRUE, correct = TRUE, conf.level = 0.95)
  }
  s
}

cases <- character()
for (name in names(datasets)) {
  d <- datasets[[name]]
  for (s in settings(name)) {
    r <- tryCatch(suppressWarnings(wilcox.test(d$x, d$y, alternative = s$alternative, mu = s$mu, exact = s$exact,
                                               correct = s$correct, conf.int = TRUE, conf.level = s$conf.level)),
                  error = function(e) NULL)
    if (is.null(r)) next
    cases <- c(cases, obj(
      dataset = str(name), alternative = str(s$alternative), mu = num(s$mu),
      exact = if (is.null(s$exact)) "null" else if (s$exact) "true" else "false",
      correct = if (s$correct) "true" else "false", conf_level = num(s$conf.level),
      method = str(r$method), statistic = num(unname(r$statistic)), p_value = num(r$p.value),
      estimate = num(unname(r$estimate)), conf_low = num(r$conf.int[1]), conf_high = num(r$conf.int[2]),
      achieved_level = num(attr(r$conf.int, "conf.level"))))
  }
}

# ---- power.prop.test ---------------------------------------------------------------------------------------
pn <- character()
for (alt in c("two.sided", "one.sided")) {
  for (pp in list(c(0.995, 0.95), c(0.995, 0.99), c(0.99, 0.98), c(0.95, 0.9), c(0.5, 0.6), c(0.2, 0.1),
                  c(0.999, 0.995), c(0.9, 0.99))) {
    for (ap in list(c(0.05, 0.8), c(0.01, 0.9), c(0.1, 0.95), c(0.05, 0.5))) {
      r <- power.prop.test(p1 = pp[1], p2 = pp[2], sig.level = ap[1], power = ap[2], alternative = alt)
      pn <- c(pn, obj(p1 = num(pp[1]), p2 = num(pp[2]), alpha = num(ap[1]), power = num(ap[2]),
                      alternative = str(alt), n = num(r$n)))
    }
  }
}
# interval extension: the answer is above 1e7 (extend upwards) or below 1 (extend downwards)
for (e in list(c(0.5, 0.5001, 0.05, 0.8), c(0.01, 0.99, 0.05, 0.3), c(0.05, 0.95, 0.05, 0.6))) {
  for (alt in c("two.sided", "one.sided")) {
    r <- tryCatch(suppressWarnings(power.prop.test(p1 = e[1], p2 = e[2], sig.level = e[3], power = e[4], alternative = alt)),
                  error = function(err) NULL)
    if (is.null(r) || !is.finite(r$n) || r$n <= 0) next
    pn <- c(pn, obj(p1 = num(e[1]), p2 = num(e[2]), alpha = num(e[3]), power = num(e[4]),
                    alternative = str(alt), n = num(r$n)))
  }
}

pd <- character()
for (alt in c("two.sided", "one.sided")) {
  for (p2 in c(0.995, 0.99, 0.95, 0.8)) {
    for (n in c(126, 500, 2000, 1e5)) {
      for (ap in list(c(0.05, 0.8), c(0.01, 0.95))) {
        r <- tryCatch(suppressWarnings(power.prop.test(n = n, p2 = p2, sig.level = ap[1], power = ap[2], alternative = alt)),
                      error = function(err) NULL)
        if (is.null(r) || r$p1 < 0) next
        pd <- c(pd, obj(baseline = num(p2), n = num(n), alpha = num(ap[1]), power = num(ap[2]),
                        alternative = str(alt), p1 = num(r$p1), drop = num(p2 - r$p1)))
      }
    }
  }
}

ds <- vapply(names(datasets), function(n) sprintf("\"%s\":{\"x\":%s,\"y\":%s}", n, arr(datasets[[n]]$x), arr(datasets[[n]]$y)), "")
out <- paste0("{\n\"r_version\":", str(R.version.string), ",\n\"seed\":20240601,\n",
              "\"datasets\":{\n", paste(ds, collapse = ",\n"), "\n},\n",
              "\"wilcox\":[\n", paste(cases, collapse = ",\n"), "\n],\n",
              "\"power_prop_n\":[\n", paste(pn, collapse = ",\n"), "\n],\n",
              "\"power_prop_p1\":[\n", paste(pd, collapse = ",\n"), "\n]\n}\n")
writeLines(out, "r-reference.json", sep = "")
cat(sprintf("%d wilcox cases, %d power.prop.test n cases, %d p1 cases\n", length(cases), length(pn), length(pd)))
