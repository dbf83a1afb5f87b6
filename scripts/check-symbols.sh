#!/bin/sh
# check-symbols.sh MODULE: fails when the Kore module needs a symbol that
# neither Kore nor the libraries it is linked with provide.  A shared
# object links with undefined symbols; Kore would only find out when it
# loads the module.
set -eu
mod=$1
kore=$(command -v kore)
defined=$(mktemp)
trap 'rm -f "$defined"' EXIT
{
	nm -D --defined-only "$kore" | awk '{print $NF}'
	for lib in $(ldd "$mod" | awk '/=>/ {print $3}'); do
		nm -D --defined-only "$lib" | awk '{print $NF}'
	done
} | sed 's/@.*//' | sort -u > "$defined"
missing=$(nm -D --undefined-only "$mod" | awk '{print $NF}' | sed 's/@.*//' |
    sort -u | comm -23 - "$defined" | grep -v '^_\|^__' || true)
if [ -n "$missing" ]; then
	echo "$mod: undefined symbols:" >&2
	echo "$missing" >&2
	exit 1
fi
