#!/usr/bin/env bash
# Prints a directory holding `daprd` and `sentry` of the pinned Dapr version,
# building them from the Go module proxy when no cached build exists.
# Progress goes to stderr; stdout carries only the directory.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

reports_pin() { [ -x "$1" ] && [ "$("$1" --version 2>/dev/null)" = "$DAPR_VERSION" ]; }

# 1. What `dapr init` installed, if it is the pinned version (official releases carry every component).
if reports_pin "$HOME/.dapr/bin/daprd" && [ -x "$HOME/.dapr/bin/sentry" ]; then
  info "reusing $HOME/.dapr/bin"; echo "$HOME/.dapr/bin" >&3; exit 0
fi

# 2. Our cached build, keyed by the wrapper module's content and the Go version.
key="$( (cat "$ROOT"/tools/daprd/go.mod "$ROOT"/tools/daprd/go.sum "$ROOT"/tools/daprd/main.go; go env GOVERSION) | sha256sum | cut -c1-12)"
out="$CACHE_DIR/dapr-$DAPR_VERSION-$key"
if reports_pin "$out/daprd" && [ -x "$out/sentry" ]; then info "cached build $out"; echo "$out" >&3; exit 0; fi

# 3. Build. `go install github.com/dapr/dapr/cmd/daprd@v…` is refused (dapr's
#    go.mod has replace directives), so tools/daprd is a wrapper module.
command -v go >/dev/null || die "Go >= $GO_MIN_VERSION is needed to build daprd; or run 'dapr init' for daprd $DAPR_VERSION"
go_version="$(go env GOVERSION | sed 's/^go//')"
version_ge "$go_version" "$GO_MIN_VERSION" || die "Go $go_version is too old to build dapr $DAPR_VERSION (needs >= $GO_MIN_VERSION)"
mkdir -p "$out"
ldflags="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION"
build() {
  local started; started=$(date +%s)
  (cd "$ROOT/tools/daprd" && GOFLAGS=-mod=readonly go build -trimpath -ldflags "$ldflags" "$@")
  info "  … $(( $(date +%s) - started ))s"
}
info "building daprd $DAPR_VERSION (-tags stablecomponents + sqlite name resolver); a cold build takes minutes"
build -tags stablecomponents -o "$out/daprd.partial" . && mv "$out/daprd.partial" "$out/daprd"
info "building sentry $DAPR_VERSION (the mTLS certificate authority that access-control policies rely on)"
build -o "$out/sentry.partial" github.com/dapr/dapr/cmd/sentry && mv "$out/sentry.partial" "$out/sentry"
echo "$out" >&3
