variable "name" {
  description = "Name prefix for the plugin bucket, plugin, worker configuration, connector, role and alarms."
  type        = string
}

variable "repo_root" {
  description = "Absolute path of the repository root: the plugin zip and the shared connector configuration are read from it."
  type        = string
}

variable "vpc_id" {
  description = "VPC of Aurora and MSK; the connector's workers get ENIs in its private subnets."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR (the connector's egress stays inside it)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the connector's workers (MSK Connect needs at least two)."
  type        = list(string)
}

variable "database" {
  description = "Aurora as the connector sees it: the CLUSTER endpoint (RDS Proxy cannot carry replication connections), the database, the security group that must admit the connector, and the writer instance whose slot metrics are alarmed on."
  type = object({
    cluster_endpoint   = string
    database_name      = string
    security_group_id  = string
    writer_instance_id = string
  })
}

variable "kafka" {
  description = "MSK cluster: SASL/IAM bootstrap servers, ARN and the topic/group ARN prefixes the connector's role is scoped to, and the cluster security group that must admit the connector."
  type = object({
    bootstrap_servers = string
    cluster_arn       = string
    topic_arn_prefix  = string
    group_arn_prefix  = string
    security_group_id = string
  })
}

variable "topics" {
  description = "The topics the Outbox Event Router routes to (the same ones the Lambda relay writes); the connector may write only these and its own internal topics."
  type        = list(string)
}

variable "replication_username" {
  description = "PostgreSQL role the connector logs in as (created by scripts/prepare-cdc-database.sh with rds_replication)."
  type        = string
  default     = "outbox_cdc"
}

variable "kafka_connect_version" {
  description = "Kafka Connect version MSK Connect runs (3.7.x runs Java 17, which Debezium 3.x needs; 2.7.1 runs Java 11 and cannot)."
  type        = string
  default     = "3.7.x"
  validation {
    condition     = var.kafka_connect_version == "3.7.x"
    error_message = "Debezium 3.6 needs Java 17: only MSK Connect's Kafka Connect 3.7.x runs it (ADR 0081)."
  }
}

variable "capacity" {
  description = "Autoscaled capacity: MCUs per worker (1, 2, 4 or 8) and the worker range. The PostgreSQL connector runs one task, so extra workers add no throughput; a bigger mcu_count does."
  type = object({
    mcu_count          = number
    min_worker_count   = number
    max_worker_count   = number
    scale_in_cpu_pct   = number
    scale_out_cpu_pct  = number
  })
  default = {
    mcu_count         = 1
    min_worker_count  = 1
    max_worker_count  = 2
    scale_in_cpu_pct  = 20
    scale_out_cpu_pct = 80
  }
  validation {
    condition     = contains([1, 2, 4, 8], var.capacity.mcu_count) && var.capacity.min_worker_count >= 1 && var.capacity.max_worker_count >= var.capacity.min_worker_count
    error_message = "capacity.mcu_count must be 1, 2, 4 or 8, and 1 <= min_worker_count <= max_worker_count."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the connector's worker logs."
  type        = number
  default     = 30
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic the replication-slot alarms notify; null = alarms without actions."
  type        = string
  default     = null
}

variable "slot_lag_threshold_bytes" {
  description = "Alarm when the replication slot holds back more WAL than this (OldestReplicationSlotLag, bytes) for 15 minutes."
  type        = number
  default     = 1073741824 # 1 GiB
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
