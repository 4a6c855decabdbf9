variable "name" {
  description = "Name prefix; functions are <name>-create-order, <name>-outbox-relay, <name>-cancel-consumer, <name>-schema-migration."
  type        = string
}

variable "repo_root" {
  description = "Absolute path of the repository root; artifacts are read from <repo_root>/<module>/target/<module>.jar."
  type        = string
}

variable "runtime" {
  description = "Lambda Java runtime. java21 matches the build's --release 21; java25 needs AWS provider 6.20+."
  type        = string
  default     = "java21"
}

variable "architecture" {
  description = "Instruction set; arm64 (Graviton) is ~20% cheaper per GB-second and SnapStart supports it."
  type        = string
  default     = "arm64"
}

variable "snapstart" {
  description = "Enable SnapStart on published versions (off on LocalStack)."
  type        = bool
  default     = true
}

variable "subnet_ids" {
  description = "Private subnets for the functions; empty = no VPC config (LocalStack)."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups for the functions when subnet_ids is set."
  type        = list(string)
  default     = []
}

variable "db" {
  description = "Database connection handed to every function as DB_URL / DB_USERNAME / DB_PASSWORD."
  type = object({
    url      = string
    username = string
    password = string
  })
  sensitive = true
}

variable "db_proxy_iam" {
  description = "When set (RDS Proxy resource id and user), roles get rds-db:connect for the IAM-auth upgrade path (ADR 0040)."
  type = object({
    proxy_resource_id = string
    username          = string
  })
  default = null
}

variable "kafka" {
  description = "Kafka client settings for the relay (the only function that talks to Kafka)."
  type = object({
    bootstrap_servers       = string
    security_protocol       = string # SASL_SSL on MSK, PLAINTEXT locally
    sasl_mechanism          = string # AWS_MSK_IAM on MSK, "" locally
    sasl_jaas_config        = string
    sasl_callback_handler   = string
  })
}

variable "relay_wake_up" {
  description = "Writers wake the Lambda relay after commit (ADR 0014): true with relay_mode = \"lambda\"; false with the CDC relay, which needs no wake-up (no RELAY_WAKE_UP_FUNCTION target, no invoke permission, no async invoke config)."
  type        = bool
  default     = true
}

variable "cdc_slot" {
  description = "The CDC relay's replication slot (its connector's slot.name) when relay_mode = \"msk_connect\"; \"\" with the Lambda relay. Set: the relay function refuses to drain, the reconciliation job checks the slot instead of row age, and the CDC retention job (cdc_retention.tf) is deployed and scheduled (ADR 0082)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^[a-z0-9_]{0,63}$", var.cdc_slot))
    error_message = "cdc_slot must be empty or a PostgreSQL replication slot name (1-63 lower-case letters, digits, underscores)."
  }
}

variable "cdc_retention" {
  description = "The CDC retention job (cdc_retention.tf), deployed only when cdc_slot is set: its schedule expression and Scheduler input JSON (RelayTrigger's Scheduler shape)."
  type = object({
    schedule_expression = string
    input               = string
  })
}

variable "msk" {
  description = "MSK cluster for IAM policies and the consumer's event source mapping; null = no MSK (LocalStack: a poller container invokes the consumer)."
  type = object({
    cluster_arn      = string
    topic_arn_prefix = string
    group_arn_prefix = string
  })
  default = null
}

variable "topics" {
  description = "Topic names."
  type = object({
    order_created       = string
    order_cancelled     = string
    order_cancelled_dlq = string
  })
  default = {
    order_created       = "order.created"
    order_cancelled     = "order.cancelled"
    order_cancelled_dlq = "order.cancelled.dlq"
  }
}

variable "create_order" {
  description = "Sizing of the API function."
  type = object({
    memory_mb       = number
    timeout_seconds = number
  })
  default = { memory_mb = 1024, timeout_seconds = 15 }
}

variable "relay" {
  description = "Relay sizing and drain loop. One scheduled invocation claims batches until less than safety_margin_seconds of timeout_seconds remain (the margin covers the worst publish: Kafka's 20 s delivery timeout + 5 s max.block.ms + a commit), and returns early after idle_limit_seconds of empty outbox."
  type = object({
    memory_mb                    = number
    timeout_seconds              = number
    safety_margin_seconds        = number
    idle_limit_seconds           = number
    scheduled_idle_limit_seconds = number
    batch_size                   = number
    metrics_namespace            = string
  })
  default = {
    memory_mb                    = 1024
    timeout_seconds              = 100
    safety_margin_seconds        = 30
    idle_limit_seconds           = 5
    scheduled_idle_limit_seconds = 0
    batch_size                   = 2000
    metrics_namespace            = "OrderService/Relay"
  }
  validation {
    condition     = var.relay.safety_margin_seconds + 5 <= var.relay.timeout_seconds && var.relay.safety_margin_seconds > 25
    error_message = "relay.safety_margin_seconds must exceed the worst publish (20 s delivery timeout + 5 s max.block.ms) and leave at least 5 s of draining."
  }
}

variable "consumer" {
  description = "Cancel consumer sizing and its event source mapping."
  type = object({
    memory_mb                  = number
    timeout_seconds            = number
    batch_size                 = number
    batching_window_seconds    = number
    starting_position          = string
    maximum_retry_attempts     = number
    maximum_record_age_seconds = number
    consumer_group_id          = string
    metrics_namespace          = string
  })
  default = {
    memory_mb                  = 1024
    timeout_seconds            = 60
    batch_size                 = 100
    batching_window_seconds    = 1
    starting_position          = "TRIM_HORIZON" # a new mapping must not skip cancellations already on the topic
    # Poison records are dead-lettered by the function itself, so only transient failures (database down) are
    # retried here, as long as the API allows (10000), before a batch goes to the on-failure destination.
    maximum_retry_attempts     = 10000
    maximum_record_age_seconds = -1
    consumer_group_id          = "cancel-consumer"
    metrics_namespace          = "OrderService/CancelConsumer"
  }
  validation {
    # Only transient failures (database down) reach these retries; after the last one Lambda sends the batch to the
    # on-failure destination (event_source.tf always sets one) and commits past it: cancellations skipped. So retry
    # as often as the API allows. -1 is not "for ever": with a destination Lambda caps it at 10. 0 would skip a batch
    # at its first transient failure. AWS documents no retry interval, so no smaller number can be shown to outlast
    # an outage or the 15-minute TransientFailures alarm (ADR 0045; infra/checks ConsumerRetryCheck).
    condition     = var.consumer.maximum_retry_attempts == 10000
    error_message = "consumer.maximum_retry_attempts must be 10000, the API maximum: fewer retries let a database outage skip cancellations, and -1 becomes 10 when an on-failure destination is set (ADR 0045)."
  }
  validation {
    condition     = var.consumer.maximum_record_age_seconds == -1 || (var.consumer.maximum_record_age_seconds >= 60 && var.consumer.maximum_record_age_seconds <= 604800)
    error_message = "consumer.maximum_record_age_seconds must be -1 (no limit) or 60..604800."
  }
}

variable "migration" {
  description = "Sizing of the schema migration function (runs once per deploy)."
  type = object({
    memory_mb       = number
    timeout_seconds = number
  })
  default = { memory_mb = 1024, timeout_seconds = 300 }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention for every function."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
