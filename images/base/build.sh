#!/usr/bin/env bash
# Builds the project's Debian bookworm base image without any registry:
# debootstrap (Debian's own packages) into a temp dir, then `docker import`.
# Usage: images/base/build.sh [TAG]   (default firmlab/base:bookworm)
set -euo pipefail
tag="${1:-firmlab/base:bookworm}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag already present" >&2
  exit 0
fi
command -v debootstrap >/dev/null || { echo "FIRMLAB_SETUP: debootstrap is missing (apt-get install debootstrap)" >&2; exit 2; }
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
[ -n "$mirror" ] || mirror="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
dir="$(mktemp -d /var/tmp/firmlab-base.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
echo "building $tag with debootstrap (about 30 s)..." >&2
debootstrap --variant=minbase --include=ca-certificates bookworm "$dir" ${mirror:+"$mirror"} >&2
# The host's apt sources (and apt settings) so image builds install from the same place.
cp /etc/apt/sources.list.d/*.sources "$dir/etc/apt/sources.list.d/" 2>/dev/null || true
cp /etc/apt/apt.conf.d/99* "$dir/etc/apt/apt.conf.d/" 2>/dev/null || true
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" --numeric-owner -c . | docker import \
  --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$tag" >&2
echo "built $tag" >&2
