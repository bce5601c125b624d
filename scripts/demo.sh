#!/usr/bin/env bash
# Places one order against a running stack (npm start in another terminal) and
# follows it to the store's queue. Calls go through the gateway's sidecar, as the
# gateway does, with the gateway's own Dapr API token (each sidecar takes only its
# app's token, and order and store admit the gateway as a caller).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tokens="$RUN_DIR/secrets/app-tokens.json"
[ -f "$tokens" ] || die "no tokens yet: start the stack first (npm start)"
token="$(node -p "require('$tokens').gateway['dapr-api-token']")"
call() { curl -sS -H "dapr-api-token: $token" -H 'content-type: application/json' "$@"; echo; }

echo "POST /orders (2 bulgogi burgers at branch gangnam):"
order="$(call -X POST http://127.0.0.1:3509/v1.0/invoke/order/method/orders \
  -d '{"customerId":"demo-customer","storeId":"gangnam","lines":[{"menuItemId":"bulgogi-burger","quantity":2}]}')"
echo "$order"
order_id="$(node -p "JSON.parse(process.argv[1]).orderId" "$order")"
sleep 1
echo; echo "GET /orders/$order_id:"; call "http://127.0.0.1:3509/v1.0/invoke/order/method/orders/$order_id"
echo; echo "GET /stores/gangnam/queue:"; call http://127.0.0.1:3509/v1.0/invoke/store/method/stores/gangnam/queue
echo; echo "A bad request (quantity 0) is refused with the field named:"
call -X POST http://127.0.0.1:3509/v1.0/invoke/order/method/orders \
  -d '{"customerId":"demo-customer","storeId":"gangnam","lines":[{"menuItemId":"bulgogi-burger","quantity":0}]}'
