#!/bin/sh
# Runs a command in a fresh network namespace that has only the loopback interface, so nothing a
# test starts (Chromium's WebRTC in particular, which gathers ICE candidates on every interface)
# can send a packet to any address but 127.0.0.1/::1. Needs root (unshare -n), as on the test
# machines and in CI (other users get a user namespace where the kernel allows it). npm registries
# are not reachable inside: install first, then run the tests.
#
# The command also gets a private mount namespace in which /etc/chromium is a small tmpfs holding a
# copy of the machine's /etc/chromium without its policies, plus an empty, writable
# policies/managed/ exported as CHROMIUM_POLICY_DIR. Chromium reads enterprise policy only from
# /etc/chromium/policies/managed/*.json (its --policy flag does nothing in the Debian build), so
# this is how the administrator-policy scenarios provision the extension without touching the
# real /etc, and why the machine's own policies never leak into a test.
#
# Firefox reads enterprise policy from policies.json in its distribution/ folder (and from
# /etc/firefox/policies/ where that exists): the command gets a private, writable tmpfs over
# /usr/lib/firefox-esr/distribution (keeping what the package put there), exported as
# FIREFOX_POLICY_DIR, and an empty one over /etc/firefox/policies if the machine has it.
#
#   sh tests/e2e/harness/isolated.sh npx vitest run --project e2e
set -eu
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -n "${HARNESS_ISOLATED:-}" ]; then
  exec "$@"
fi
# Root (CI, the test machines) creates the namespaces directly; another user needs a user namespace
# for that. Where neither is possible the command runs unisolated, with a warning: the loopback-only
# guarantee and the policy scenarios (which need the private /etc/chromium) are then unavailable.
userns=""
if [ "$(id -u)" -ne 0 ]; then
  if unshare --user --map-root-user --net --mount true 2>/dev/null; then
    userns="--user --map-root-user"
  else
    echo "isolated.sh: cannot create a network namespace as $(id -un); running without isolation" >&2
    HARNESS_ISOLATED=0 exec "$@"
  fi
fi
# unshare makes the new mount namespace's mounts private (no propagation back to the machine).
# shellcheck disable=SC2086 # $userns is a list of options or nothing
exec unshare $userns --net --mount sh -c '
  set -eu
  ip link set lo up
  if [ -d /etc/chromium ]; then
    staging=$(mktemp -d /tmp/harness-etc-chromium.XXXXXX)
    mount -t tmpfs -o mode=0755,size=4m harness-etc-chromium "$staging"
    for entry in /etc/chromium/* /etc/chromium/.[!.]*; do
      [ -e "$entry" ] || continue
      [ "$(basename "$entry")" = policies ] && continue
      cp -R --preserve=mode,timestamps "$entry" "$staging"/
    done
    mkdir -p "$staging/policies/managed"
    mount --bind "$staging" /etc/chromium
    # The bind keeps the tmpfs alive; the staging mount point goes away again.
    umount "$staging"
    rmdir "$staging"
    export CHROMIUM_POLICY_DIR=/etc/chromium/policies/managed
  fi
  firefox_dist=/usr/lib/firefox-esr/distribution
  if [ -d "$firefox_dist" ]; then
    staging=$(mktemp -d /tmp/harness-firefox-dist.XXXXXX)
    mount -t tmpfs -o mode=0755,size=16m harness-firefox-dist "$staging"
    for entry in "$firefox_dist"/* "$firefox_dist"/.[!.]*; do
      [ -e "$entry" ] || continue
      [ "$(basename "$entry")" = policies.json ] && continue
      cp -R --preserve=mode,timestamps "$entry" "$staging"/
    done
    # The folder may be a symlink (Debian links it into /usr/share): the bind lands on its target.
    mount --bind "$staging" "$firefox_dist"
    umount "$staging"
    rmdir "$staging"
    export FIREFOX_POLICY_DIR="$firefox_dist"
  fi
  if [ -d /etc/firefox/policies ]; then
    mount -t tmpfs -o mode=0755,size=1m harness-etc-firefox /etc/firefox/policies
  fi
  HARNESS_ISOLATED=1 exec "$@"
' isolated "$@"
