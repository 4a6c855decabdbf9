#!/usr/bin/env bash
# Build the jars, start LocalStack + PostgreSQL + Kafka, create the topics, apply infra/terraform to LocalStack and
# print the API endpoint. Needs only Docker (and a JDK >= 21 for the build). See README.md.
set -euo pipefail
cd "$(dirname "$0")"
REPO=$(cd .. && pwd)
COMPOSE=(docker compose -f docker-compose.yml)

if [ -n "${LOCALSTACK_AUTH_TOKEN:-}" ]; then
  TARGET=localstack-pro   # real HTTP API, Scheduler, RDS, MSK + event source mapping inside LocalStack
  export LOCALSTACK_IMAGE=${LOCALSTACK_IMAGE:-localstack/localstack:latest}
  export LOCALSTACK_SERVICES=${LOCALSTACK_SERVICES:-lambda,iam,sts,logs,events,scheduler,sqs,sns,secretsmanager,cloudwatch,apigateway,rds,kafka,ec2}
else
  TARGET=localstack       # free tier: Function URL, EventBridge rule, compose PostgreSQL, compose Kafka + poller
fi
echo "==> target: $TARGET"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building the function jars and local-runtime"
  (cd "$REPO" && . bin/jdk.sh && ./mvnw -q -B -DskipTests package -pl create-order-fn,outbox-relay-fn,cancel-consumer-fn,schema-migration-fn,local-runtime -am)
fi

echo "==> starting compose"
"${COMPOSE[@]}" up -d --wait localstack postgres kafka

echo "==> creating topics (MSK Serverless gets the same three from infra/terraform/scripts/create-topics.sh)"
for topic in order.created order.cancelled order.cancelled.dlq; do
  "${COMPOSE[@]}" exec -T kafka /opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 \
    --create --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1
done

TF=("${COMPOSE[@]}" run --rm terraform)
echo "==> terraform init / apply (workspace localstack)"
"${TF[@]}" init -input=false
"${TF[@]}" workspace select -or-create localstack
"${TF[@]}" apply -input=false -auto-approve \
  -var-file=/repo/localstack/localstack.tfvars -var "target=$TARGET"

CONSUMER=$("${TF[@]}" output -raw consumer_function_name)
API_URL=$("${TF[@]}" output -raw api_url)

if [ "$TARGET" = localstack ]; then
  echo "==> starting the event-source poller for $CONSUMER:live"
  CONSUMER_FUNCTION="$CONSUMER" "${COMPOSE[@]}" --profile free-tier up -d esm-poller
fi

echo "$API_URL" > .api-url
echo
echo "API endpoint: $API_URL"
echo "Next: ./smoke.sh"
