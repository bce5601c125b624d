#!/usr/bin/env bash
# build-go-tool.sh NAME MODULE_DIR OUT_DIR LDFLAGS PKG... : builds each main package
# of a wrapper module into OUT_DIR (named after the package's last path element),
# one at a time so that each gets its own time, and appends the times to
# $CACHE_DIR/build-times.txt. OUT_DIR appears only when every binary is built; an
# interrupted run resumes with the binaries it has not built yet.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name="$1" moddir="$2" out="$3" ldflags="$4"; shift 4
mkdir -p "$out.partial"
first=1
for pkg in "$@"; do
  bin="$(basename "$pkg")"
  [ -x "$out.partial/$bin" ] && { info "have $bin"; first=0; continue; }
  started=$(date +%s)
  info "building $bin ($pkg)"
  (cd "$moddir" && GOFLAGS=-mod=readonly go build -trimpath -ldflags "$ldflags" -o "$out.partial/$bin.tmp" "$pkg")
  mv "$out.partial/$bin.tmp" "$out.partial/$bin"
  took=$(( $(date +%s) - started ))
  info "  … $bin in ${took}s"
  printf '%s\t%s\t%s\t%ss\t%s cores, %s\n' "$(date -u +%FT%TZ)" "$name" "$bin" "$took" "$(nproc)" \
    "$([ $first = 1 ] && echo 'first of its module (cold for this module)' || echo 'after the ones before it (shared packages cached)')" >> "$CACHE_DIR/build-times.txt"
  first=0
done
rm -rf "$out" && mv "$out.partial" "$out"
