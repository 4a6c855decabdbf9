output "create_order_alias_arn" {
  description = "ARN of create-order's live alias (API integration target)."
  value       = aws_lambda_alias.create_order.arn
}

output "create_order_alias_invoke_arn" {
  description = "Invoke ARN of create-order's live alias."
  value       = aws_lambda_alias.create_order.invoke_arn
}

output "create_order_alias_name" {
  description = "Name of create-order's live alias. Reference this (not a literal) so permissions and URLs on the qualifier wait for the alias."
  value       = aws_lambda_alias.create_order.name
}

output "create_order_function_name" {
  description = "create-order function name."
  value       = aws_lambda_function.create_order.function_name
}

output "relay_function_name" {
  description = "Outbox relay function name."
  value       = aws_lambda_function.outbox_relay.function_name
}

output "relay_alias_arn" {
  description = "ARN of the relay's live alias (schedule target)."
  value       = aws_lambda_alias.outbox_relay.arn
}

output "relay_alias_name" {
  description = "Name of the relay's live alias. Reference this (not a literal) so permissions on the qualifier wait for the alias."
  value       = aws_lambda_alias.outbox_relay.name
}

output "consumer_function_name" {
  description = "Cancel consumer function name."
  value       = aws_lambda_function.cancel_consumer.function_name
}

output "consumer_alias_arn" {
  description = "ARN of the consumer's live alias."
  value       = aws_lambda_alias.cancel_consumer.arn
}

output "function_names" {
  description = "All function names, keyed by role."
  value = merge({
    create-order     = aws_lambda_function.create_order.function_name
    outbox-relay     = aws_lambda_function.outbox_relay.function_name
    cancel-consumer  = aws_lambda_function.cancel_consumer.function_name
    schema-migration = aws_lambda_function.schema_migration.function_name
    # The job's failures (e.g. database unreachable) page through the errors alarm as well as its drift alarm.
    outbox-reconciliation = aws_lambda_function.outbox_reconciliation.function_name
    }, local.cdc_retention ? {
    # Its failures (database unreachable) page through the errors alarm; a slot that stays behind is the slot alarm's.
    outbox-cdc-retention = one(aws_lambda_function.outbox_cdc_retention[*].function_name)
  } : {})
}

output "event_source_mapping_uuid" {
  description = "UUID of the order.cancelled mapping (null without MSK)."
  value       = one(aws_lambda_event_source_mapping.order_cancelled[*].uuid)
}

output "consumer_failures_queue_name" {
  description = "On-failure destination queue of the mapping (null without MSK)."
  value       = one(aws_sqs_queue.consumer_failures[*].name)
}

output "migration_result" {
  description = "What SchemaMigrationFunction returned on the last deploy (applied versions)."
  value       = aws_lambda_invocation.schema_migration.result
}
