#!/bin/sh
# serve.sh [CONF]: runs Kore in the foreground on CONF (default kore.conf)
# with PORT and WORKERS applied to a generated copy under var/run/.
# The module reads JWT_SECRET, DATABASE_URL and the rest from the
# environment itself.
set -eu
cd "$(dirname "$0")/.."
conf=${1:-kore.conf}
port=${PORT:-8000}
workers=${WORKERS:-$(nproc)}
mkdir -p var/run
out="var/run/$(basename "$conf" .conf)-$port.conf"
# WORKER_MAX_CONNECTIONS, for tests: a small value makes Kore hand new
# connections to the other workers, so cross-worker relays get exercised.
maxconn=${WORKER_MAX_CONNECTIONS:-}
sed -e "s/^\([[:space:]]*bind[[:space:]]\{1,\}[^[:space:]]\{1,\}[[:space:]]\{1,\}\)[0-9]\{1,\}/\1$port/" \
    -e "s/^workers .*/workers $workers/" \
    ${maxconn:+-e "s/^worker_max_connections .*/worker_max_connections $maxconn/"} \
    "$conf" > "$out"
echo "serve: kore on port $port with $workers worker(s), config $out"
exec stdbuf -oL -eL kore -f -n -r -c "$out"
