#!/usr/bin/env bash
# Creates order.created, order.cancelled and order.cancelled.dlq on an MSK Serverless cluster (which has no topic
# API, ADR 0041). Idempotent. Run once per environment, after `terraform apply`, from a host inside the VPC
# (e.g. a CloudShell VPC environment in the private subnets, with the Lambda security group) with a role that has
# kafka-cluster:Connect, CreateTopic and DescribeTopic on the cluster.
#   BOOTSTRAP=$(terraform output -raw kafka_bootstrap_servers) ./scripts/create-topics.sh
# Needs: Java 17+, Kafka CLI 4.x (KAFKA_HOME) and aws-msk-iam-auth-2.3.x-all.jar on the Kafka CLI classpath.
set -euo pipefail
: "${BOOTSTRAP:?set BOOTSTRAP to the SASL/IAM bootstrap servers}"
: "${KAFKA_HOME:?set KAFKA_HOME to a Kafka 4.x distribution}"
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
cat > "$cfg" <<'PROPS'
security.protocol=SASL_SSL
sasl.mechanism=AWS_MSK_IAM
sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;
sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler
PROPS
create() { # name partitions retention.ms
  "$KAFKA_HOME/bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$cfg" \
    --create --if-not-exists --topic "$1" --partitions "$2" --config "retention.ms=$3"
}
create order.created 6 604800000
create order.cancelled 6 604800000
create order.cancelled.dlq 1 2419200000
"$KAFKA_HOME/bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$cfg" --list
