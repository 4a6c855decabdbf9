output "api_url" {
  description = "Base URL for POST /orders, without a trailing slash (\"$API/orders\"): the HTTP API ($default stage) on AWS, the Function URL on LocalStack free tier."
  # Both the $default stage's invoke_url and a Function URL end in "/"; "$API/orders" would then send //orders.
  value       = trimsuffix(one(concat(aws_lambda_function_url.create_order[*].function_url, module.api[*].api_url)), "/")
}

output "relay_function_name" {
  description = "Outbox relay function name (invoke it by hand to drain now: aws lambda invoke --function-name <name>:live)."
  value       = module.functions.relay_function_name
}

output "reconciliation_function_name" {
  description = "Reconciliation job function name (run the drift check now: aws lambda invoke --function-name <name>:live --cli-binary-format raw-in-base64-out --payload '{}' out.json; ADR 0071)."
  value       = module.functions.reconciliation_function_name
}

output "consumer_function_name" {
  description = "Cancel consumer function name (the LocalStack poller invokes <name>:live)."
  value       = module.functions.consumer_function_name
}

output "db_proxy_endpoint" {
  description = "RDS Proxy endpoint (null on the LocalStack free tier, which uses the compose PostgreSQL)."
  value       = one(module.database[*].proxy_endpoint)
}

output "kafka_bootstrap_servers" {
  description = "Kafka bootstrap servers the relay uses."
  value       = local.kafka.bootstrap_servers
}

output "kafka_topics_managed_by_terraform" {
  description = "false on MSK Serverless: run scripts/create-topics.sh once (README, ADR 0041)."
  value       = coalesce(one(module.kafka[*].topics_managed_by_terraform), false)
}

output "migration_result" {
  description = "Result of the schema migration invoked during this apply."
  value       = module.functions.migration_result
}
