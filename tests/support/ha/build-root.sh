#!/usr/bin/env bash
# Builds a Debian root with a Python new enough for the pinned Home Assistant, and HA in a venv inside it.
# Usage: build-root.sh <ha-version> <root-dir>
# Idempotent: a root with a finished marker is left as it is. Needs root (debootstrap, chroot).
set -euo pipefail

version=${1:?ha version}
root=${2:?root dir}
marker="$root/.ha-mcp-root-ready"
step() { printf '[build-root] %s\n' "$*" >&2; }
fail() { printf '[build-root] FAILED: %s\n' "$*" >&2; exit 1; }

[ -f "$marker" ] && { step "cached root at $root"; exit 0; }
[ "$(id -u)" = 0 ] || fail "building the HA root needs root (debootstrap and chroot)"

if ! command -v debootstrap >/dev/null; then
  step "installing debootstrap"
  apt-get update -qq >&2 || fail "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2 || fail "apt-get install debootstrap"
fi

# The mirror this machine's own apt uses (no host name is written into the project).
mirror=$(grep -hoE '^URIs:[[:space:]]*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb[[:space:]]+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
[ -n "$mirror" ] || fail "no Debian mirror found in this machine's apt sources"

# HA 2026.3+ needs Python >= 3.14.2 (Debian forky); 2025.2-2026.2 need 3.13 (trixie).
suite=forky
case "$version" in 2025.*|2026.1.*|2026.2.*) suite=trixie ;; esac

tmp="$root.tmp"
umount_all() { for m in dev/pts dev proc; do mountpoint -q "$tmp/$m" 2>/dev/null && umount -l "$tmp/$m"; done; return 0; }
trap umount_all EXIT
rm -rf "$tmp"; mkdir -p "$tmp"

step "debootstrap $suite from $mirror (about a minute)"
debootstrap --variant=minbase \
  --include=python3,python3-venv,python3-dev,gcc,g++,libffi-dev,libssl-dev,ca-certificates \
  "$suite" "$tmp" "$mirror" /usr/share/debootstrap/scripts/sid >"$tmp.debootstrap.log" 2>&1 \
  || { tail -n 30 "$tmp.debootstrap.log" >&2; fail "debootstrap"; }

# TLS on this network may be re-signed: the root trusts what the host trusts.
cp /etc/ssl/certs/ca-certificates.crt "$tmp/etc/ssl/certs/ca-certificates.crt"
cp /etc/resolv.conf "$tmp/etc/resolv.conf"
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$tmp/etc/pip.conf"

mount -t proc proc "$tmp/proc"
mount --bind /dev "$tmp/dev"

step "creating the venv and installing homeassistant==$version (a few minutes)"
chroot "$tmp" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
  SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
  /bin/sh -ec "
    python3 -m venv /opt/ha
    /opt/ha/bin/pip install -q --upgrade pip wheel
    /opt/ha/bin/pip install -q uv
    /opt/ha/bin/uv pip install -q --python /opt/ha/bin/python homeassistant==$version
  " >&2 || fail "installing homeassistant==$version"

umount_all
rm -f "$tmp.debootstrap.log"
touch "$tmp/.ha-mcp-root-ready"
rm -rf "$root"; mv "$tmp" "$root"
step "root ready at $root"
