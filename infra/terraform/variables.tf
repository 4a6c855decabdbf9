# ---- where to deploy --------------------------------------------------------------------------------------------

variable "target" {
  description = <<-EOT
    aws            : real AWS (HTTP API, Scheduler, Aurora + RDS Proxy, MSK + event source mapping).
    localstack     : LocalStack free tier; substitutes Function URL, EventBridge rule, compose PostgreSQL and compose
                     Kafka + local-runtime's poller (see localstack/README.md and ADR 0043).
    localstack-pro : LocalStack with LOCALSTACK_AUTH_TOKEN; the same resources as aws, sent to LocalStack.
  EOT
  type        = string
  default     = "aws"
  validation {
    condition     = contains(["aws", "localstack", "localstack-pro"], var.target)
    error_message = "target must be aws, localstack or localstack-pro."
  }
}

variable "region" {
  description = "AWS region (MSK Serverless is not offered everywhere; eu-west-1 and us-east-1 have it)."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Prefix for every resource name; use one per environment (orders-dev, orders-prod)."
  type        = string
  default     = "orders-dev"
}

variable "repo_root" {
  description = "Absolute path of the repository checkout holding the built jars; null = two levels above this module."
  type        = string
  default     = null
}

variable "localstack_endpoint" {
  description = "LocalStack edge endpoint (localstack targets only)."
  type        = string
  default     = "http://localhost:4566"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

# ---- network, database, kafka -----------------------------------------------------------------------------------

variable "az_count" {
  description = "Availability zones (private subnets); 2 is the minimum for Aurora and MSK."
  type        = number
  default     = 2
}

variable "vpc_cidr_block" {
  description = "VPC CIDR."
  type        = string
  default     = "10.40.0.0/16"
}

variable "db_min_acu" {
  description = "Aurora Serverless v2 minimum ACUs (0.5 = always warm; 0 = auto-pause where the engine supports it)."
  type        = number
  default     = 0.5
}

variable "db_max_acu" {
  description = "Aurora Serverless v2 maximum ACUs."
  type        = number
  default     = 4
}

variable "db_deletion_protection" {
  description = "Protect the Aurora cluster from destroy (enable in production)."
  type        = bool
  default     = false
}

variable "db_proxy_iam_auth" {
  description = "DISABLED: functions log in with the secret's password (DB_PASSWORD). REQUIRED: IAM auth to RDS Proxy (needs the token-based DataSource from ADR 0040)."
  type        = string
  default     = "DISABLED"
}

variable "kafka_cluster_type" {
  description = "serverless (default) or provisioned MSK."
  type        = string
  default     = "serverless"
}

# ---- functions and triggers -------------------------------------------------------------------------------------

variable "lambda_runtime" {
  description = "Lambda runtime: java21 (matches --release 21) or java25."
  type        = string
  default     = "java21"
}

variable "lambda_architecture" {
  description = "arm64 (cheaper) or x86_64."
  type        = string
  default     = "arm64"
}

variable "relay_timeout_seconds" {
  description = "Relay timeout; one scheduled invocation drains until relay_safety_margin_seconds of it remain. 100 s - 30 s = 70 s of draining, longer than the 1-minute schedule, so under steady traffic consecutive invocations overlap and there is no gap without a relay (overlap is safe: ADR 0011)."
  type        = number
  default     = 100
}

variable "relay_safety_margin_seconds" {
  description = "The relay stops claiming when less than this remains of its timeout (must exceed the worst publish: Kafka's 20 s delivery timeout + 5 s max.block.ms)."
  type        = number
  default     = 30
}

variable "relay_idle_limit_seconds" {
  description = "A relay run started by a writer's wake-up returns after the outbox has been empty this long, so a burst is served by one run (ADR 0014). Must exceed the writers' 1 s wake-up debounce."
  type        = number
  default     = 5
  validation {
    condition     = var.relay_idle_limit_seconds > 1
    error_message = "relay_idle_limit_seconds must exceed the writers' 1 s wake-up debounce, or commits skipped by the debounce wait for the schedule."
  }
}

variable "relay_scheduled_idle_limit_seconds" {
  description = "A scheduled (safety-net) relay run returns after the outbox has been empty this long. 0 keeps an idle hour at a few seconds of relay time; writers wake a relay for new rows anyway (ADR 0014)."
  type        = number
  default     = 0
}

variable "relay_batch_size" {
  description = "Outbox rows claimed per relay batch (2000 measured fastest; see docs/benchmarks.md)."
  type        = number
  default     = 2000
}

variable "consumer_batch_size" {
  description = "Event source mapping batch size for order.cancelled."
  type        = number
  default     = 100
}

variable "consumer_batching_window_seconds" {
  description = "Event source mapping batching window (seconds)."
  type        = number
  default     = 1
}

variable "consumer_starting_position" {
  description = "Where a NEW mapping starts reading order.cancelled: TRIM_HORIZON (no cancellation skipped) or LATEST."
  type        = string
  default     = "TRIM_HORIZON"
}

variable "api_jwt" {
  description = "Optional JWT authorizer for the HTTP API: { issuer, audience }. null = no authorizer."
  type = object({
    issuer   = string
    audience = list(string)
  })
  default = null
}

variable "api_throttling_rate_limit" {
  description = "HTTP API steady-state requests per second."
  type        = number
  default     = 100
}

variable "api_throttling_burst_limit" {
  description = "HTTP API burst."
  type        = number
  default     = 200
}

# ---- monitoring -------------------------------------------------------------------------------------------------

variable "alarm_sns_topic_arn" {
  description = "Existing SNS topic every alarm notifies (shared with other services); null = alarms without actions."
  type        = string
  default     = null
}

variable "relay_lag_threshold_seconds" {
  description = "Alarm when the oldest unpublished outbox row is older than this."
  type        = number
  default     = 120
}

variable "reconciliation_schedule_expression" {
  description = "How often the reconciliation job checks orders against the outbox (EventBridge Scheduler expression; the drift alarm's 15-minute period assumes at least one run per 15 minutes)."
  type        = string
  default     = "rate(5 minutes)"
}

variable "reconciliation_pending_threshold" {
  description = "Duration (ISO-8601 such as PT5M, or 5m) an outbox row may stay unpublished before reconciliation reports it as drift (RECONCILIATION_PENDING_THRESHOLD)."
  type        = string
  default     = "PT5M"
}

variable "reconciliation_checkable_window" {
  description = "Duration (ISO-8601 such as P6D, or 6d): how far back reconciliation checks orders and order events (RECONCILIATION_CHECKABLE_WINDOW). Must be shorter than the relay's retention age (RELAY_RETENTION_AGE, 7 days): the reconciliation function refuses to start otherwise."
  type        = string
  default     = "P6D"
}

# ---- localstack (free tier) substitutes ---------------------------------------------------------------------------

variable "local_db" {
  description = "localstack target: the compose PostgreSQL as seen from Lambda containers."
  type = object({
    url      = string
    username = string
    password = string
  })
  default = {
    url      = "jdbc:postgresql://postgres:5432/orders"
    username = "orders"
    password = "orders"
  }
  sensitive = true
}

variable "local_kafka_bootstrap_servers" {
  description = "localstack target: the compose Kafka broker as seen from Lambda containers (PLAINTEXT)."
  type        = string
  default     = "kafka:9092"
}
