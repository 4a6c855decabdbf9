# Which relay empties the outbox (ADR 0081):
#   relay_mode = "lambda"      (default) outbox-relay-fn, woken by the writers after commit and scheduled every minute
#   relay_mode = "msk_connect" Debezium's PostgreSQL connector on MSK Connect reads the outbox from Aurora's WAL; the
#                              schedule and the writers' wake-up are not deployed (the relay function stays, idle, for
#                              its operator commands and the one drain at the switch, infra/terraform/README.md)
# Only real AWS runs msk_connect: LocalStack does not emulate MSK Connect.

variable "relay_mode" {
  description = "lambda (default): the polling relay function. msk_connect: the Debezium CDC relay on MSK Connect (AWS only; see infra/terraform/README.md \"Switching the relay\")."
  type        = string
  default     = "lambda"
  validation {
    condition     = contains(["lambda", "msk_connect"], var.relay_mode)
    error_message = "relay_mode must be lambda or msk_connect."
  }
}

variable "cdc_capacity" {
  description = "msk_connect mode: MCUs per worker (1, 2, 4, 8) and the autoscaled worker range. One task does the work, so mcu_count is what adds throughput."
  type = object({
    mcu_count         = number
    min_worker_count  = number
    max_worker_count  = number
    scale_in_cpu_pct  = number
    scale_out_cpu_pct = number
  })
  default = {
    mcu_count         = 1
    min_worker_count  = 1
    max_worker_count  = 2
    scale_in_cpu_pct  = 20
    scale_out_cpu_pct = 80
  }
}

variable "cdc_slot_lag_threshold_bytes" {
  description = "msk_connect mode: alarm when the replication slot holds back more WAL than this (bytes) for 15 minutes."
  type        = number
  default     = 1073741824
}

variable "cdc_retention_schedule_expression" {
  description = "msk_connect mode: how often the CDC retention job deletes outbox rows older than the retention age (7 days) that the connector's slot has confirmed (EventBridge Scheduler expression)."
  type        = string
  default     = "rate(1 hour)"
}

locals {
  lambda_relay = var.relay_mode == "lambda"
  cdc_relay    = var.relay_mode == "msk_connect" && local.full_stack
  # The connector's replication slot, from the configuration the connector runs (modules/cdc reads the same file).
  # The functions get it as CDC_SLOT only in msk_connect mode: the relay then refuses to drain, the reconciliation
  # job checks the slot, and the CDC retention job exists (ADR 0082). "" in lambda mode.
  cdc_slot = local.cdc_relay ? jsondecode(file("${local.repo_root}/cdc-relay/src/main/resources/outbox-connector.json"))["slot.name"] : ""
}

module "cdc" {
  source         = "./modules/cdc"
  count          = local.cdc_relay ? 1 : 0
  name           = var.name
  repo_root      = local.repo_root
  vpc_id         = module.network[0].vpc_id
  vpc_cidr_block = module.network[0].vpc_cidr_block
  subnet_ids     = module.network[0].private_subnet_ids

  database = {
    cluster_endpoint   = module.database[0].cluster_endpoint
    database_name      = module.database[0].database_name
    security_group_id  = module.database[0].aurora_security_group_id
    writer_instance_id = module.database[0].writer_instance_id
  }

  kafka = {
    bootstrap_servers = module.kafka[0].bootstrap_brokers
    cluster_arn       = module.kafka[0].cluster_arn
    topic_arn_prefix  = module.kafka[0].topic_arn_prefix
    group_arn_prefix  = module.kafka[0].group_arn_prefix
    security_group_id = module.kafka[0].security_group_id
  }

  # The topics the Lambda relay publishes to; the router routes to the same ones.
  topics                   = [local.topics.order_created, local.topics.order_cancelled_dlq]
  capacity                 = var.cdc_capacity
  alarm_sns_topic_arn      = var.alarm_sns_topic_arn
  slot_lag_threshold_bytes = var.cdc_slot_lag_threshold_bytes
  tags                     = local.tags

  # The connector starts streaming at once: the schema (outbox table) must exist.
  depends_on = [module.functions]
}

output "relay_mode" {
  description = "Which relay empties the outbox: lambda or msk_connect."
  value       = var.relay_mode

  precondition {
    condition     = local.lambda_relay || var.target == "aws"
    error_message = "relay_mode = \"msk_connect\" needs target = \"aws\": LocalStack does not emulate MSK Connect (localstack/README.md)."
  }
}

output "cdc_connector_arn" {
  description = "msk_connect mode: the MSK Connect connector (null in lambda mode)."
  value       = one(module.cdc[*].connector_arn)
}

output "cdc_replication_secret_arn" {
  description = "msk_connect mode: Secrets Manager secret of the replication role, read by scripts/prepare-cdc-database.sh (null in lambda mode)."
  value       = one(module.cdc[*].replication_secret_arn)
}

output "cdc_publication_name" {
  description = "msk_connect mode: the PostgreSQL publication the connector reads (null in lambda mode)."
  value       = one(module.cdc[*].publication_name)
}

output "cdc_slot_name" {
  description = "msk_connect mode: the logical replication slot the connector reads (null in lambda mode). It keeps WAL until dropped: drop it when switching back to lambda."
  value       = one(module.cdc[*].slot_name)
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret with the Aurora master credentials (scripts/prepare-cdc-database.sh logs in with them); null on the LocalStack free tier."
  value       = one(module.database[*].secret_arn)
}

output "db_cluster_endpoint" {
  description = "Aurora cluster (writer) endpoint, reachable only inside the VPC; null on the LocalStack free tier."
  value       = one(module.database[*].cluster_endpoint)
}
