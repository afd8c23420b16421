#!/usr/bin/env bash
# Prepares this (Debian) machine for firmlab: the Debian packages it needs,
# a running Docker engine, node_modules and the compiled harness.
# Idempotent: a second run installs and starts nothing. Called by `make setup`.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf 'setup: %s\n' "$*" >&2; }

# Host tools. The emulator, the cross compiler and the kernels live in images
# built by the project, not on the host. What a run needs (make setup, make
# demo): the engine, debootstrap for the base image, the unpackers. What only
# the tests and benchmarks need comes with --test (make test, make bench):
# DNS clients and dnstap-read, dnsperf and dnsmasq, tcpdump, openssl,
# qemu-user for the fixture's daemons, the armhf libc, Chromium, xmllint.
packages=(docker.io debootstrap squashfs-tools bzip2 iptables iproute2 ca-certificates curl)
test_packages=(qemu-user-static libc6-dev-armhf-cross bind9-dnsutils knot-dnsutils dnsperf dnsmasq-base tcpdump openssl
  chromium libxml2-utils)
[ "${1:-}" = --test ] && packages+=("${test_packages[@]}")
[ -n "${FIRMLAB_SETUP_EXTRA:-}" ] && read -r -a extra <<<"$FIRMLAB_SETUP_EXTRA" && packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "FIRMLAB_SETUP: need root to install: ${missing[*]}" >&2; exit 2; }
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
# dnsmasq-base ships no service, but the full dnsmasq package would start one: make sure none runs.

engine_up() {
  if [ -n "${DOCKER_HOST:-}" ]; then docker version >/dev/null 2>&1; return; fi
  [ -S /var/run/docker.sock ] && curl -fsS --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1
}

if ! engine_up; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    echo "FIRMLAB_ENGINE_UNAVAILABLE: DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST" >&2
    exit 2
  fi
  log "starting dockerd (log: /var/log/dockerd.log)"
  # setsid: the engine outlives this script and make.
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 120); do engine_up && break; sleep 0.5; done
  engine_up || { echo "FIRMLAB_ENGINE_UNAVAILABLE: dockerd did not answer within 60 s; see /var/log/dockerd.log" >&2; tail -5 /var/log/dockerd.log >&2; exit 2; }
  log "dockerd is up"
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund >&2
fi
