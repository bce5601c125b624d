#!/usr/bin/env bash
# Installs Dapr's control plane on the cluster of k8s-cluster.sh the way a user
# would: Dapr's Helm chart and CRDs from the pinned dapr module, rendered by helm
# (built from its own module) and applied with kubectl. Images are the local
# localhost/dapr/* ones (provision-k8s-images.sh), never pulled. mTLS is on: sentry
# issues every sidecar's certificate, and the injector's webhook adds the sidecars.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/k8s-common.sh"

step "Dapr $DAPR_VERSION control plane (helm template of $DAPR_MODULE/charts/dapr)"
mkdir -p "$STATE"
"$HELM" template dapr "$DAPR_MODULE/charts/dapr" --namespace dapr-system --include-crds --kube-version "$KUBERNETES_VERSION" \
  --set global.registry=localhost/dapr --set global.tag="$DAPR_VERSION" \
  --set global.imagePullPolicy=Never --set dapr_sidecar_injector.sidecarImagePullPolicy=Never \
  --set global.mtls.enabled=true --set global.ha.enabled=false \
  --set dapr_scheduler.cluster.inMemoryStorage=true --set dapr_scheduler.replicaCount=1 \
  `# The chart's Ignore admits a pod without its sidecar when the webhook is slow (seen here, under load);` \
  `# Fail makes the ReplicaSet try again instead.` \
  --set dapr_sidecar_injector.webhookFailurePolicy=Fail \
  > "$STATE/dapr-control-plane.yaml"
info "$(grep -c '^kind:' "$STATE/dapr-control-plane.yaml") objects rendered ($STATE/dapr-control-plane.yaml)"
kc create namespace dapr-system --dry-run=client -o yaml | kc apply -f - >/dev/null
kc apply --server-side --force-conflicts -f "$STATE/dapr-control-plane.yaml" >/dev/null
for workload in deployment/dapr-operator deployment/dapr-sidecar-injector deployment/dapr-sentry statefulset/dapr-placement-server statefulset/dapr-scheduler-server; do
  kc -n dapr-system rollout status "$workload" --timeout=300s >/dev/null || { kc -n dapr-system get pods -o wide; die "$workload did not roll out"; }
  info "$workload rolled out"
done
done_step "$(kc -n dapr-system get pods --no-headers | awk '{print $1" "$3}' | tr '\n' ';')"
