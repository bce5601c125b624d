#!/usr/bin/env bash
# Prints the path of a Dapr scheduler of the pinned version, building it from the
# Go module proxy (tools/scheduler) when no cached build exists. `dapr run -f`
# points every daprd newer than 1.15 at localhost:50006, and the launcher follows
# the CLI's rules, so both need one (README, "With the Dapr CLI").
# Progress goes to stderr; stdout carries only the path.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

# The scheduler has no --version flag: its version is that of the daprd installed beside it.
# 1. What `dapr init --slim` installed, if it is the pinned version.
if [ -x "$HOME/.dapr/bin/scheduler" ] && [ "$("$HOME/.dapr/bin/daprd" --version 2>/dev/null)" = "$DAPR_VERSION" ]; then info "reusing $HOME/.dapr/bin/scheduler"; echo "$HOME/.dapr/bin/scheduler" >&3; exit 0; fi

# 2. Our cached build, keyed by its wrapper module's content (which pins the version) and the Go version.
key="$( (cat "$ROOT"/tools/scheduler/go.mod "$ROOT"/tools/scheduler/go.sum; go env GOVERSION) | sha256sum | cut -c1-12)"
out="$CACHE_DIR/dapr-scheduler-$DAPR_VERSION-$key"
if [ -x "$out/scheduler" ]; then info "cached build $out/scheduler"; echo "$out/scheduler" >&3; exit 0; fi

# 3. Build (a module of its own: see tools/scheduler/go.mod).
command -v go >/dev/null || die "Go >= $GO_MIN_VERSION is needed to build the Dapr scheduler"
mkdir -p "$out"
started=$(date +%s)
info "building the Dapr scheduler $DAPR_VERSION; a cold build takes minutes"
(cd "$ROOT/tools/scheduler" && GOFLAGS=-mod=readonly go build -trimpath \
  -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION" \
  -o "$out/scheduler.partial" github.com/dapr/dapr/cmd/scheduler) && mv "$out/scheduler.partial" "$out/scheduler"
info "  … $(( $(date +%s) - started ))s"
echo "$out/scheduler" >&3
