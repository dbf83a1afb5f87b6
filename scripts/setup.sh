#!/bin/sh
# Installs what building, running and testing the server needs, and nothing
# when it is all there already (so `make run` and `make test` can always call
# it).  Debian packages come from apt, Node packages from package-lock.json.
#
# usage: scripts/setup.sh
#
# Environment: SETUP_SKIP_APT=1 skips the Debian check (e.g. a machine where
# you are not root and installed everything by hand).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

# kore, the libraries it links and the C unit-test framework; a PostgreSQL
# server; clang + its runtimes for libFuzzer; chromium for the browser tests;
# python-socketio and the libraries its client needs for both transports.
APT_PACKAGES="kore libsodium-dev libyajl-dev libpq-dev libcriterion-dev
postgresql clang libclang-rt-14-dev chromium
python3-socketio python3-aiohttp python3-websocket python3-requests"

say() { printf 'setup: %s\n' "$*"; }

installed() {
	# dpkg-query prints nothing (and fails) for a package it never saw.
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

setup_apt() {
	missing=""
	for p in $APT_PACKAGES; do
		installed "$p" || missing="$missing $p"
	done
	if [ -z "$missing" ]; then
		say "Debian packages: all present"
		return 0
	fi
	say "Debian packages missing:$missing"
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			SUDO="sudo"
		else
			say "not root and no sudo: install them with apt-get install$missing"
			exit 1
		fi
	else
		SUDO=""
	fi
	# noninteractive: CI has no stdin; the lock timeout waits out a
	# concurrent apt run instead of failing at once.
	say "apt-get update (slow)"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q update
	say "apt-get install$missing (slow, can take minutes)"
	# $missing is a list of plain package names: split it on purpose.
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
	    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	    -q -y install $missing
	for p in $missing; do
		installed "$p" || { say "still missing after install: $p"; exit 1; }
	done
	say "Debian packages: installed"
}

setup_npm() {
	# npm writes node_modules/.package-lock.json on every install: it is
	# the marker of when node_modules was last made from the lockfile.
	marker=node_modules/.package-lock.json
	if [ -f "$marker" ] && [ -z "$(find package-lock.json -newer "$marker")" ]; then
		say "npm packages: up to date"
		return 0
	fi
	say "npm ci (slow)"
	NPM_CONFIG_UPDATE_NOTIFIER=false npm ci --no-audit --no-fund
	say "npm packages: installed"
}

if [ "${SETUP_SKIP_APT:-0}" = 1 ]; then
	say "SETUP_SKIP_APT=1: not checking Debian packages"
else
	setup_apt
fi
setup_npm
