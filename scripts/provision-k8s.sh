#!/usr/bin/env bash
# Provisions the single-node Kubernetes cluster of `npm run test:k8s`, reusing
# what is already built (safe to run again: a warm machine finishes in seconds).
#   binaries: Debian's etcd, containerd, runc, CNI plugins and podman; Kubernetes,
#             Dapr's control plane, helm and CoreDNS built from the Go module proxy
#             in the wrapper modules of tools/ (no image registry is reachable here);
#   images:   a Debian base from debootstrap with the machine's Node.js 20, the app
#             images from the project's Dockerfile, Dapr's images of the pinned
#             version, and the stores (PostgreSQL, Redis, Kafka) from Debian packages.
# Usage: provision-k8s.sh [binaries|images|all] (default all). Writes .run/k8s-toolchain.env.
# Each cold build's time is appended to $CACHE_DIR/build-times.txt.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
what="${1:-all}"
STARTED=$(date +%s)
mkdir -p "$RUN_DIR" "$CACHE_DIR"
# The pinned modules' go.sum decides what is built; the Go version is part of the key too.
module_key() { (cat "$@"; go env GOVERSION) | sha256sum | cut -c1-12; }

provision_binaries() {
  step "Debian packages: etcd, containerd, runc, CNI plugins, podman, debootstrap, iptables, conntrack"
  local missing=() p
  for p in etcd-server containerd runc containernetworking-plugins podman debootstrap iptables conntrack; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    info "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts containerd as a service; the cluster runs its own, with its own config and state.
    as_root service containerd stop >/dev/null 2>&1 || true
  fi
  done_step "etcd $(dpkg-query -W -f='${Version}' etcd-server), containerd $(dpkg-query -W -f='${Version}' containerd), runc $(dpkg-query -W -f='${Version}' runc), CNI plugins $(dpkg-query -W -f='${Version}' containernetworking-plugins), podman $(dpkg-query -W -f='${Version}' podman)"

  step "Kubernetes $KUBERNETES_VERSION: kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl"
  K8S_BIN="$CACHE_DIR/kubernetes-$KUBERNETES_VERSION-$(module_key "$ROOT"/tools/kubernetes/go.mod "$ROOT"/tools/kubernetes/go.sum)"
  if [ ! -x "$K8S_BIN/kubectl" ]; then
    info "building from the Go module proxy (tools/kubernetes); a cold build takes many minutes on 2 cores"
    local v=k8s.io/component-base/version c=k8s.io/client-go/pkg/version kv
    kv="gitVersion=v$KUBERNETES_VERSION gitMajor=${KUBERNETES_VERSION%%.*} gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) gitTreeState=clean"
    local ld="-s -w" x
    for x in $kv; do ld="$ld -X $v.$x -X $c.$x"; done
    bash "$ROOT/scripts/build-go-tool.sh" kubernetes-$KUBERNETES_VERSION "$ROOT/tools/kubernetes" "$K8S_BIN" "$ld" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
  fi
  done_step "$("$K8S_BIN/kubectl" version --client 2>/dev/null | head -n1) in $K8S_BIN"

  step "Dapr $DAPR_VERSION control plane: operator, sidecar injector, placement (sentry and scheduler as for the local run)"
  DAPR_BIN="$(bash "$ROOT/scripts/provision-dapr.sh")"
  DAPR_SCHEDULER="$(bash "$ROOT/scripts/provision-scheduler.sh")"
  DAPR_CP_BIN="$CACHE_DIR/dapr-control-plane-$DAPR_VERSION-$(module_key "$ROOT"/tools/dapr-control-plane/go.mod "$ROOT"/tools/dapr-control-plane/go.sum)"
  if [ ! -x "$DAPR_CP_BIN/placement" ]; then
    bash "$ROOT/scripts/build-go-tool.sh" dapr-control-plane-$DAPR_VERSION "$ROOT/tools/dapr-control-plane" "$DAPR_CP_BIN" \
      "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION" \
      github.com/dapr/dapr/cmd/operator github.com/dapr/dapr/cmd/injector github.com/dapr/dapr/cmd/placement
  fi
  done_step "$DAPR_CP_BIN"

  step "helm $HELM_VERSION (renders Dapr's chart from the pinned dapr module)"
  HELM="$CACHE_DIR/helm-$HELM_VERSION/helm"
  if [ ! -x "$HELM" ]; then
    local started; started=$(date +%s)
    info "building from the Go module proxy (helm.sh/helm/v3 has no replace directives: go install works)"
    rm -rf "$CACHE_DIR/helm-$HELM_VERSION.partial"
    GOBIN="$CACHE_DIR/helm-$HELM_VERSION.partial" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
    rm -rf "$CACHE_DIR/helm-$HELM_VERSION" && mv "$CACHE_DIR/helm-$HELM_VERSION.partial" "$CACHE_DIR/helm-$HELM_VERSION"
    printf '%s\thelm-%s\thelm\t%ss\t%s cores\n' "$(date -u +%FT%TZ)" "$HELM_VERSION" "$(( $(date +%s) - started ))" "$(nproc)" >> "$CACHE_DIR/build-times.txt"
  fi
  done_step "$("$HELM" version --short)"

  step "CoreDNS $COREDNS_VERSION (tools/coredns: the cluster DNS plugins only)"
  COREDNS_BIN="$CACHE_DIR/coredns-$COREDNS_VERSION-$(module_key "$ROOT"/tools/coredns/go.mod "$ROOT"/tools/coredns/go.sum "$ROOT"/tools/coredns/main.go)"
  if [ ! -x "$COREDNS_BIN/coredns" ]; then
    bash "$ROOT/scripts/build-go-tool.sh" coredns-$COREDNS_VERSION "$ROOT/tools/coredns" "$COREDNS_BIN" \
      "-s -w -X github.com/coredns/coredns/coremain.GitCommit=v$COREDNS_VERSION" burger.local/tools/coredns
  fi
  done_step "$("$COREDNS_BIN/coredns" -version | head -n1)"

  # Dapr's CRDs and chart come from the module that daprd is built from.
  DAPR_MODULE="$(cd "$ROOT/tools/dapr-control-plane" && go list -m -f '{{.Dir}}' github.com/dapr/dapr)"
  cat > "$RUN_DIR/k8s-toolchain.env" <<ENV
K8S_BIN=$K8S_BIN
DAPR_BIN=$DAPR_BIN
DAPR_SCHEDULER=$DAPR_SCHEDULER
DAPR_CP_BIN=$DAPR_CP_BIN
DAPR_MODULE=$DAPR_MODULE
HELM=$HELM
COREDNS_BIN=$COREDNS_BIN
KUSTOMIZE=$CACHE_DIR/kustomize-$KUSTOMIZE_VERSION/kustomize
ENV
}

case "$what" in
  binaries) provision_binaries ;;
  images) source "$RUN_DIR/k8s-toolchain.env"; source "$ROOT/scripts/provision-k8s-images.sh" ;;
  all) provision_binaries; source "$RUN_DIR/k8s-toolchain.env"; source "$ROOT/scripts/provision-k8s-images.sh" ;;
  *) die "usage: provision-k8s.sh [binaries|images|all]" ;;
esac
printf '\n==> cluster provisioned in %ss (.run/k8s-toolchain.env; build times: %s)\n' "$(( $(date +%s) - STARTED ))" "$CACHE_DIR/build-times.txt"
