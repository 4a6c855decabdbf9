#!/usr/bin/env bash
# The local runtime's smoke sequence against the LocalStack deployment:
#   1. POST /orders                          -> 201 with the order id
#   2. order.created appears on Kafka        (relay, fired by the 1-minute rule/schedule; we also invoke it now)
#   3. send order.cancelled for that order   (to Kafka; the poller / event source mapping invokes the consumer)
#   4. GET /orders/{id} shows CANCELLED
# Free tier only: steps 2-3 use the compose Kafka, which is what the localstack target's relay and poller use. On
# target=localstack-pro the functions talk to LocalStack's MSK instead (see README.md), so this script refuses.
set -euo pipefail
cd "$(dirname "$0")"
if [ -n "${LOCALSTACK_AUTH_TOKEN:-}" ]; then
  echo "smoke.sh covers the free-tier target only (compose Kafka); unset LOCALSTACK_AUTH_TOKEN, or see README.md" >&2
  exit 2
fi
COMPOSE=(docker compose -f docker-compose.yml)
API_URL=${API_URL:-$(cat .api-url)}
API_URL=${API_URL%/}
RELAY=$("${COMPOSE[@]}" run --rm terraform output -raw relay_function_name)
kafka() { "${COMPOSE[@]}" exec -T kafka /opt/kafka/bin/"$@"; }
awslocal() {
  "${COMPOSE[@]}" exec -T -e AWS_ACCESS_KEY_ID=test -e AWS_SECRET_ACCESS_KEY=test -e AWS_DEFAULT_REGION=eu-west-1 \
    localstack aws --endpoint-url=http://localhost:4566 "$@"
}

echo "==> 1. create an order"
response=$(curl -fsS -X POST "$API_URL/orders" -H 'content-type: application/json' \
  -d '{"customerId":"6f1c2b9e-3d4a-4c8b-9e7f-1a2b3c4d5e6f","items":[{"productId":"0b7d1e2f-5a6c-4d3b-8e9f-a1b2c3d4e5f6","quantity":2,"unitPrice":19.99}]}')
echo "$response"
order_id=$(printf '%s' "$response" | sed -n 's/.*"orderId":"\([^"]*\)".*/\1/p')
[ -n "$order_id" ] || { echo "FAIL: no order id in response"; exit 1; }

echo "==> 2. wait for order.created (invoking the relay now instead of waiting for the next minute)"
awslocal lambda invoke --function-name "$RELAY:live" --cli-binary-format raw-in-base64-out \
  --payload '{"source":"smoke"}' /tmp/relay-out.json >/dev/null
found=""
for _ in $(seq 1 30); do
  if kafka kafka-console-consumer.sh --bootstrap-server kafka:9092 --topic order.created --from-beginning \
      --property print.key=true --timeout-ms 5000 2>/dev/null | grep -q "$order_id"; then
    found=yes; break
  fi
  sleep 2
done
[ -n "$found" ] || { echo "FAIL: order.created for $order_id not seen"; exit 1; }
echo "seen order.created for $order_id"

echo "==> 3. send order.cancelled"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf 'ce_id:smoke-%s,ce_type:order.cancelled,ce_source:/smoke,ce_specversion:1.0,ce_time:%s,content-type:application/json\t%s|{"orderId":"%s","reason":"smoke test"}\n' \
  "$order_id" "$now" "$order_id" "$order_id" | \
  kafka kafka-console-producer.sh --bootstrap-server kafka:9092 --topic order.cancelled \
    --property parse.key=true --property key.separator='|' \
    --property parse.headers=true --property headers.delimiter='	' \
    --property headers.separator=',' --property headers.key.separator=':'

echo "==> 4. wait for CANCELLED"
for _ in $(seq 1 60); do
  status=$(curl -fsS "$API_URL/orders/$order_id" | sed -n 's/.*"status":"\([^"]*\)".*/\1/p')
  if [ "$status" = CANCELLED ]; then
    echo "PASS: order $order_id is CANCELLED"
    exit 0
  fi
  sleep 2
done
echo "FAIL: order $order_id is ${status:-unknown}, expected CANCELLED"
exit 1
