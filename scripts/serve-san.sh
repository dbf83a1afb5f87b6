#!/bin/sh
# serve-san.sh: scripts/serve.sh with build/pd-san.so, the module built
# with AddressSanitizer and UBSan (make build/pd-san.so).  Kore itself is
# not instrumented, so the sanitizer runtime is preloaded.  For running
# the integration tests against it:
#	TEST_SERVE_SCRIPT=scripts/serve-san.sh make test-integration
set -eu
cd "$(dirname "$0")/.."
mkdir -p var/run
sed 's|^load .*|load ./build/pd-san.so|' kore.conf > var/run/kore-san.conf
LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
exec scripts/serve.sh var/run/kore-san.conf
