#!/bin/sh
# Runs a command in a fresh network namespace that has only the loopback interface, so nothing a
# test starts (Chromium's WebRTC in particular, which gathers ICE candidates on every interface)
# can send a packet to any address but 127.0.0.1/::1. Needs root (unshare -n), as on the test
# machines and in CI. npm registries are not reachable inside: install first, then run the tests.
#
#   sh tests/e2e/harness/isolated.sh npx vitest run --project e2e
set -eu
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [ "${HARNESS_ISOLATED:-}" = "1" ]; then
  exec "$@"
fi
exec unshare --net sh -c 'ip link set lo up && HARNESS_ISOLATED=1 exec "$@"' isolated "$@"
