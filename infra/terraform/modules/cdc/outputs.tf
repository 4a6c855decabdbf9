output "connector_arn" {
  description = "ARN of the MSK Connect connector."
  value       = aws_mskconnect_connector.cdc.arn
}

output "connector_name" {
  description = "Name of the MSK Connect connector (the ConnectorName dimension of its metrics)."
  value       = aws_mskconnect_connector.cdc.name
}

output "replication_secret_arn" {
  description = "Secrets Manager secret of the replication role (scripts/prepare-cdc-database.sh reads it)."
  value       = aws_secretsmanager_secret.replication.arn
}

output "publication_name" {
  description = "PostgreSQL publication the connector reads (created by scripts/prepare-cdc-database.sh)."
  value       = local.connector_configuration["publication.name"]
}

output "slot_name" {
  description = "Logical replication slot the connector reads (created by scripts/prepare-cdc-database.sh; drop it by hand when leaving msk_connect mode)."
  value       = local.connector_configuration["slot.name"]
}

output "table_include_list" {
  description = "Tables the connector captures (the outbox table), as Debezium's table.include.list."
  value       = local.connector_configuration["table.include.list"]
}

output "alarm_names" {
  description = "Alarms of the CDC relay."
  value       = [aws_cloudwatch_metric_alarm.slot_lag.alarm_name, aws_cloudwatch_metric_alarm.connector_not_running.alarm_name]
}
