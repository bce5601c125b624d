#!/usr/bin/env bash
# `npm run test:k8s`: the system on a real single-node Kubernetes cluster, here.
#   1. provision (cached): Kubernetes, Dapr's control plane, helm and CoreDNS built from the
#      Go module proxy; etcd, containerd, runc and CNI from Debian; every image built locally;
#   2. boot a fresh cluster in its own network namespace (scripts/k8s-cluster.sh);
#   3. stage 1: Dapr's CRDs, then every overlay sent to the API server as a server-side dry run;
#   4. stage 2: Dapr's control plane from its Helm chart (scripts/k8s-dapr.sh);
#   5. stage 3: `kubectl apply -k k8s/overlays/local`, the scenario through the gateway
#      Service, and the operations checkpoints (vitest project k8s);
#   6. the cluster is stopped (BURGER_K8S_KEEP=1 keeps it running for a look around).
# Not part of `npm test`: see the README ("Deploy to Kubernetes") for why, with timings.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/k8s-common.sh"
PASS_STARTED=$(date +%s)
timings=()
timed() { local label="$1" started; shift; started=$(date +%s); "$@"; timings+=("$label: $(( $(date +%s) - started ))s"); }

timed "provision (local run)" bash "$ROOT/scripts/provision.sh" >/dev/null
timed "provision (cluster)" bash "$ROOT/scripts/provision-k8s.sh"
source "$ROOT/scripts/k8s-common.sh"   # again: the toolchain and image files are written now
bash "$ROOT/scripts/k8s-cluster.sh" down >/dev/null 2>&1 || true
[ "${BURGER_K8S_KEEP:-}" = 1 ] || trap 'bash "$ROOT/scripts/k8s-cluster.sh" down' EXIT
timed "cluster up" bash "$ROOT/scripts/k8s-cluster.sh" up

export BURGER_K8S=1 KUBECONFIG="$KUBECONFIG_FILE" KUBECTL="$K8S_BIN/kubectl" KUSTOMIZE K8S_STATE="$STATE" CONTAINERD_SOCK DAPR_VERSION
# kubectl for scripts/k8s-secrets.sh, which the tests run.
mkdir -p "$STATE/bin" && ln -sf "$K8S_BIN/kubectl" "$STATE/bin/kubectl" && export PATH="$STATE/bin:$PATH"
status=0
vitest() { innet env PATH="$PATH" npx vitest run --reporter=default --reporter=json --outputFile="$RUN_DIR/test-k8s-$1.json" --project "$1" || status=$?; }

step "Stage 1: Dapr's CRDs, and every overlay as a server-side dry run"
kc apply --server-side -f "$DAPR_MODULE/charts/dapr/crds/" >/dev/null
timed "stage 1 (dry runs)" vitest k8s-api
done_step

timed "stage 2 (Dapr control plane)" bash "$ROOT/scripts/k8s-dapr.sh"

step "Stage 3: the system from k8s/overlays/local, walked through the gateway; the operations checkpoints"
timed "stage 3 (deploy, walk, operations)" vitest k8s
done_step

printf '\n==> k8s pass in %ss (%s)\n' "$(( $(date +%s) - PASS_STARTED ))" "$(IFS=';'; echo "${timings[*]}")"
node -e '
  const fs = require("fs"); let passed = 0, failed = 0;
  for (const f of process.argv.slice(1)) { if (!fs.existsSync(f)) { failed++; continue; } const r = JSON.parse(fs.readFileSync(f, "utf8")); passed += r.numPassedTests; failed += r.numFailedTests; }
  console.log(`${passed} passed, ${failed} failed`);
' "$RUN_DIR/test-k8s-k8s-api.json" "$RUN_DIR/test-k8s-k8s.json"
exit $status
