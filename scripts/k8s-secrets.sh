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
for token in burger-api-token burger-app-token; do
  kubectl -n "$ns" get secret "$token" >/dev/null 2>&1 || apply_secret "$token" --from-literal=token="$(random)"
done
