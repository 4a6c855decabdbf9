#!/usr/bin/env bash
# Destroy the LocalStack deployment and stop the containers (volumes included: the next up.sh starts clean).
set -euo pipefail
cd "$(dirname "$0")"
COMPOSE=(docker compose -f docker-compose.yml)
TARGET=localstack
[ -n "${LOCALSTACK_AUTH_TOKEN:-}" ] && TARGET=localstack-pro
if "${COMPOSE[@]}" ps --status running localstack | grep -q localstack; then
  "${COMPOSE[@]}" run --rm terraform destroy -input=false -auto-approve \
    -var-file=/repo/localstack/localstack.tfvars -var "target=$TARGET" || true
fi
"${COMPOSE[@]}" --profile free-tier --profile tools down -v --remove-orphans
rm -f .api-url
