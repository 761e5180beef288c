#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine for the softphone: the system packages the local demo and the
# end-to-end tests drive (Chromium, Firefox ESR, Kamailio with its WebSocket modules, rtpengine, sipp,
# baresip, PulseAudio), the npm dependencies (which bring their own Node 24), and both browser builds.
#
#   bash scripts/setup.sh && npm run demo
#
# Run it as your normal user: apt-get goes through sudo when you are not root, npm never does (so
# node_modules/ stays yours). Safe to run again: apt is skipped when everything is already there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
  printf '\nsetup: %s\n' "$*" >&2
  exit 1
}

# ---- system packages ------------------------------------------------------------------------------

PACKAGES=(chromium kamailio kamailio-websocket-modules kamailio-extra-modules rtpengine-daemon sip-tester
  baresip firefox-esr pulseaudio iproute2)

# What the harness actually runs (tests/e2e/harness/*.ts), package by package. Kamailio's modules are
# checked as files: the kamailio binary alone says nothing about kamailio-websocket-modules.
REQUIRED_FILES=(
  /usr/lib/chromium/chromium          # chromium
  /usr/sbin/kamailio                  # kamailio
  /usr/bin/rtpengine                  # rtpengine-daemon
  /usr/bin/sipp                       # sip-tester
  /usr/bin/baresip                    # baresip
  /usr/lib/baresip/modules/ctrl_tcp.so
  /usr/lib/firefox-esr/firefox-esr    # firefox-esr
  /usr/bin/pulseaudio                 # pulseaudio (the test Firefox's audio output: a silent sink)
  /usr/sbin/ip                        # iproute2 (the loopback-only namespace)
)
REQUIRED_GLOBS=(
  '/usr/lib/*/kamailio/modules/websocket.so' # kamailio-websocket-modules
  '/usr/lib/*/kamailio/modules/rtpengine.so'
)

missing=()
for file in "${REQUIRED_FILES[@]}"; do
  [ -e "$file" ] || missing+=("$file")
done
for pattern in "${REQUIRED_GLOBS[@]}"; do
  # shellcheck disable=SC2086 # the pattern must expand here
  compgen -G $pattern >/dev/null || missing+=("$pattern")
done
# npm itself comes from the system; the project then runs on the Node 24 of its devDependencies.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
  missing+=(npm)
fi

step "System packages"
if [ "${#missing[@]}" -eq 0 ]; then
  note "all present, skipping apt-get (chromium, kamailio + websocket/rtpengine modules, rtpengine, sipp, baresip, firefox-esr, pulseaudio, ip)"
else
  note "missing: ${missing[*]}"
  if [ ! -r /etc/debian_version ]; then
    die "this script installs Debian packages (written for Debian 12); install these yourself: ${PACKAGES[*]}"
  fi
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and sudo is not installed: run this script as root"
    SUDO=(sudo)
    note "not root: using sudo for apt-get"
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y "${PACKAGES[@]}"
  for file in "${REQUIRED_FILES[@]}"; do
    [ -e "$file" ] || die "$file is still missing after apt-get install"
  done
fi

# ---- npm dependencies and builds ------------------------------------------------------------------

step "npm ci (node_modules from package-lock.json; brings Node 24 as a devDependency)"
note "npm may print EBADENGINE warnings: npm runs on the system's Node, the project's scripts on Node 24"
npm ci

step "Build for Chrome (.output/chrome-mv3)"
npx wxt build

step "Build for Firefox (.output/firefox-mv2)"
npx wxt build -b firefox

step "Done"
note "npm run demo       the product against a local PBX (Kamailio), with a scripted call walk-through"
note "npm test           unit and end-to-end tests"
note "Load .output/chrome-mv3 (Chrome) or .output/firefox-mv2/manifest.json (Firefox) by hand: see README.md"
