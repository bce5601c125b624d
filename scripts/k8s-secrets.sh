#!/usr/bin/env bash
# Creates (or keeps) the Secrets the Kubernetes manifests expect in namespace `burger`,
# with random passwords and tokens. Nothing is written to the repository.
#   scripts/k8s-secrets.sh dev    # passwords for the dev overlay's own StatefulSets (local: the same)
#   scripts/k8s-secrets.sh prod   # prod: pass the managed services' credentials in the environment:
#     ORDERSTORE_CONNECTION_STRING, REDIS_PASSWORD, MONGODB_PASSWORD, KAKAO_ACCESS_TOKEN
set -euo pipefail
overlay="${1:?usage: scripts/k8s-secrets.sh dev|local|prod}"
ns=burger
random() { openssl rand -hex 24; }
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
apply_secret() { kubectl -n "$ns" create secret generic "$@" --dry-run=client -o yaml | kubectl apply -f -; }
if kubectl -n "$ns" get secret burger-secrets >/dev/null 2>&1; then
  echo "burger-secrets exists: kept"
elif [ "$overlay" = dev ] || [ "$overlay" = local ]; then
  pg="$(random)"
  apply_secret burger-secrets \
    --from-literal=postgres-password="$pg" \
    --from-literal=orderstore-connection-string="host=postgres user=burger password=$pg dbname=burger sslmode=disable" \
    --from-literal=redis-password="$(random)" --from-literal=mongodb-password="$(random)" \
    --from-literal=kakao-access-token="${KAKAO_ACCESS_TOKEN:-Bearer not-configured}"
else
  apply_secret burger-secrets \
    --from-literal=orderstore-connection-string="${ORDERSTORE_CONNECTION_STRING:?}" \
    --from-literal=redis-password="${REDIS_PASSWORD:?}" --from-literal=mongodb-password="${MONGODB_PASSWORD:?}" \
    --from-literal=kakao-access-token="${KAKAO_ACCESS_TOKEN:?}"
fi
# auth's token-signing key (EC P-256, PEM), its cookie key and the demo accounts' password, in
# a Secret only auth's service account may read; keys are added when missing, existing ones kept.
kubectl -n "$ns" get secret auth-secrets >/dev/null 2>&1 || apply_secret auth-secrets
add_key() {
  kubectl -n "$ns" get secret auth-secrets -o "jsonpath={.data.$1}" | grep -q . && return
  kubectl -n "$ns" patch secret auth-secrets --type merge -p "{\"data\":{\"$1\":\"$(printf '%s' "$2" | base64 | tr -d '\n')\"}}"
}
add_key auth-signing-key "$(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt)"
add_key auth-cookie-key "$(random)"
add_key demo-password "$(openssl rand -hex 6)"
echo "demo accounts' password: kubectl -n $ns get secret auth-secrets -o jsonpath='{.data.demo-password}' | base64 -d"
# Each app-id's own Kafka and Redis logins (issue 20): the Secret <app-id>-credentials, mounted into
# that app's sidecar only (credentials.json, read by the `app-credentials` secret store) and into the
# Kafka Job and Redis's init container (one key each), which create the users. Kept when present.
for app in $(sed -n 's/^ *- appID: //p' "$(dirname "$0")/../dapr.yaml"); do
  kubectl -n "$ns" get secret "$app-credentials" >/dev/null 2>&1 && continue
  kafka="$(random)" redis="$(random)"
  apply_secret "$app-credentials" --from-literal=kafka-password="$kafka" --from-literal=redis-password="$redis" \
    --from-literal=credentials.json="{\"kafka-password\":\"$kafka\",\"redis-password\":\"$redis\"}"
done
# The backing stores' administrators: Kafka's super user (it creates users, topics and ACLs) and the
# KRaft controller listener's login; no app's sidecar mounts this Secret. (prod: KAFKA_ADMIN_PASSWORD
# is the managed broker's administrator; its users and Redis's per-app users must match the Secrets above.)
kubectl -n "$ns" get secret backing-store-admin >/dev/null 2>&1 || apply_secret backing-store-admin \
  --from-literal=kafka-admin-password="${KAFKA_ADMIN_PASSWORD:-$(random)}" --from-literal=kafka-controller-password="$(random)"
# Two tokens per app-id, each a Secret of its own with the key `token` (what the sidecar injector reads,
# dapr pkg/injector/patcher/sidecar_container.go): the Dapr API token and the app API token.
for app in order pay store select-store notification order-view auth gateway marketing; do
  for token in "$app-dapr-api-token" "$app-app-api-token"; do
    kubectl -n "$ns" get secret "$token" >/dev/null 2>&1 || apply_secret "$token" --from-literal=token="$(random)"
  done
done
