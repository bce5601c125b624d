# Shared by the scripts in this folder: paths, pins and progress output.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$ROOT/.run"
# Built binaries and downloaded jars outlive a checkout: a second clone on the
# same machine (CI) reuses them. Override with BURGER_CACHE_DIR.
CACHE_DIR="${BURGER_CACHE_DIR:-$HOME/.cache/burger-on-dapr}"

# Pins. DAPR_VERSION must match the `require github.com/dapr/dapr` line of tools/daprd/go.mod.
DAPR_VERSION="1.18.2"
# kustomize renders k8s/overlays for the manifest tests (what `kubectl apply -k` does).
KUSTOMIZE_VERSION="5.8.2"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/tools/kafka/pom.xml")"
GO_MIN_VERSION="1.26.5"

STEP_STARTED=0
step() { STEP_STARTED=$(date +%s); printf '\n==> %s\n' "$*"; }
done_step() { printf '    done (%ss)%s\n' "$(( $(date +%s) - STEP_STARTED ))" "${1:+: $1}"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\n!! %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# version_ge A B: true when version A >= version B.
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }

# The single-node cluster of `npm run test:k8s` (scripts/provision-k8s.sh, scripts/k8s-cluster.sh).
KUBERNETES_VERSION="1.34.2"   # must match the require line of tools/kubernetes/go.mod
HELM_VERSION="3.22.0"
COREDNS_VERSION="1.15.0"      # must match tools/coredns/go.mod
