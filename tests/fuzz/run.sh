#!/bin/sh
# run.sh TARGET BUILD SECONDS RSS_MB: runs build/fuzz/fuzz_TARGET for SECONDS
# with at most RSS_MB of memory, from the seeds in tests/fuzz/corpus/TARGET
# (new inputs go to BUILD/fuzz/corpus/TARGET, crashes to
# BUILD/fuzz/crash/TARGET-*), then prints one line of figures.  A crash
# fails the run: copy the file into tests/fuzz/regress/TARGET/ and fix it.
set -eu
t=$1 build=$2 secs=$3 rss=$4
bin=$build/fuzz/fuzz_$t
work=$build/fuzz/corpus/$t
log=$build/fuzz/$t.log
mkdir -p "$work" "$build/fuzz/crash"
rc=0
"$bin" -max_total_time="$secs" -rss_limit_mb="$rss" -malloc_limit_mb="$rss" \
    -max_len=8192 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz/crash/$t-" \
    "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
awk -v t="$t" -v rc="$rc" '
	/^#[0-9]+/ && / cov: / {
		for (i = 1; i <= NF; i++) {
			if ($i == "cov:") cov = $(i + 1)
			if ($i == "ft:") ft = $(i + 1)
			if ($i == "corp:") corp = $(i + 1)
		}
	}
	/^stat::number_of_executed_units:/ { runs = $2 }
	/^stat::average_exec_per_sec:/ { eps = $2 }
	/^stat::peak_rss_mb:/ { rss = $2 }
	/^Done [0-9]+ runs in [0-9]+ second/ { secs = $5 }
	END {
		printf "fuzz %s: %s runs in %s s, %s exec/s, cov %s, ft %s, corpus %s, peak rss %s MB%s\n",
		    t, runs, secs, eps, cov, ft, corp, rss,
		    rc == 0 ? "" : ", FAILED (see log)"
	}' "$log"
if [ "$rc" -ne 0 ]; then
	grep -E 'ERROR|runtime error|invariant failed|Test unit written' "$log" | head -5
	echo "log: $log"
fi
exit "$rc"
