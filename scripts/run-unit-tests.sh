#!/bin/sh
# Runs every criterion binary given as an argument and reports one line of
# totals.  Exits non-zero if any binary failed.
set -u
pass=0
fail=0
for t in "$@"; do
	echo "== $t"
	if "$t" --jobs 2; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAILED: $t"
	fi
done
echo "unit test binaries: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
