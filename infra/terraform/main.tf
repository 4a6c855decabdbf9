# Order service: three Lambda functions around a transactional outbox.
#
#   HTTP API ($default, payload 2.0) -> create-order:live -> Aurora (via RDS Proxy): order + outbox row
#   Scheduler rate(1 minute)         -> outbox-relay:live -> outbox rows -> MSK topics
#   MSK order.cancelled -> event source mapping -> cancel-consumer:live -> Aurora (inbox + order + outbox DLQ row)
#   terraform apply                  -> schema-migration (once per new schema-migration jar)
#   Scheduler rate(5 minutes)        -> outbox-reconciliation:live -> drift metrics -> alarm on any drift
#   Scheduler rate(1 hour)           -> outbox-cdc-retention:live (relay_mode = "msk_connect" only, cdc.tf)
#
# target = "localstack" swaps the services LocalStack's free tier lacks; see localstack.tf.

locals {
  # Must equal CANCEL_METRICS_NAMESPACE's value so the DLQ alarm watches the metric the consumer emits.
  consumer_metrics_namespace = "OrderService/CancelConsumer"

  use_localstack = var.target != "aws"
  # Everything AWS has (VPC, Aurora, MSK, HTTP API, Scheduler, alarms): real AWS or LocalStack with a paid token.
  full_stack = var.target != "localstack"
  repo_root  = coalesce(var.repo_root, abspath("${path.root}/../.."))
  tags       = merge({ Application = "order-service", Environment = var.name, ManagedBy = "terraform" }, var.tags)

  topics = {
    order_created       = "order.created"
    order_cancelled     = "order.cancelled"
    order_cancelled_dlq = "order.cancelled.dlq"
  }

  # What the relay accepts from Scheduler (and from the localstack EventBridge rule, which sends the same Input).
  # Exactly the shape outbox-relay-fn's RelayTrigger documents for Scheduler; the reconciliation and CDC retention jobs
  # take the same input (ReconciliationTrigger, RelayTrigger).
  relay_schedule_input = jsonencode({
    source        = "scheduler"
    scheduledTime = "<aws.scheduler.scheduled-time>"
    executionId   = "<aws.scheduler.execution-id>"
  })


  # one(module.x[*].attr) is null when the module is switched off, so no branch ever indexes an empty list.
  db = local.full_stack ? {
    url      = one(module.database[*].jdbc_url)
    username = one(module.database[*].username)
    password = one(module.database[*].password)
  } : var.local_db

  kafka = local.full_stack ? {
    bootstrap_servers     = one(module.kafka[*].bootstrap_brokers)
    security_protocol     = "SASL_SSL"
    sasl_mechanism        = "AWS_MSK_IAM"
    sasl_jaas_config      = "software.amazon.msk.auth.iam.IAMLoginModule required;"
    sasl_callback_handler = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"
    } : {
    bootstrap_servers     = var.local_kafka_bootstrap_servers
    security_protocol     = "PLAINTEXT"
    sasl_mechanism        = ""
    sasl_jaas_config      = ""
    sasl_callback_handler = ""
  }
}

module "network" {
  source     = "./modules/network"
  count      = local.full_stack ? 1 : 0
  name       = var.name
  region     = var.region
  cidr_block = var.vpc_cidr_block
  az_count   = var.az_count
  tags       = local.tags
}

module "database" {
  source                   = "./modules/database"
  count                    = local.full_stack ? 1 : 0
  name                     = var.name
  vpc_id                   = module.network[0].vpc_id
  vpc_cidr_block           = module.network[0].vpc_cidr_block
  subnet_ids               = module.network[0].private_subnet_ids
  client_security_group_id = module.network[0].lambda_security_group_id
  min_acu                  = var.db_min_acu
  max_acu                  = var.db_max_acu
  deletion_protection      = var.db_deletion_protection
  proxy_iam_auth           = var.db_proxy_iam_auth
  logical_replication      = var.relay_mode == "msk_connect" # cdc.tf; takes effect after a writer reboot
  tags                     = local.tags
}

module "kafka" {
  source                   = "./modules/kafka"
  count                    = local.full_stack ? 1 : 0
  name                     = var.name
  cluster_type             = var.kafka_cluster_type
  vpc_id                   = module.network[0].vpc_id
  vpc_cidr_block           = module.network[0].vpc_cidr_block
  subnet_ids               = module.network[0].private_subnet_ids
  client_security_group_id = module.network[0].lambda_security_group_id
  tags                     = local.tags
}

module "functions" {
  source       = "./modules/functions"
  name         = var.name
  repo_root    = local.repo_root
  runtime      = var.lambda_runtime
  architecture = var.lambda_architecture
  # LocalStack does not emulate SnapStart snapshots; versions and aliases still work the same.
  snapstart          = !local.use_localstack
  subnet_ids         = flatten(module.network[*].private_subnet_ids)
  security_group_ids = module.network[*].lambda_security_group_id
  db                 = local.db
  db_proxy_iam = var.db_proxy_iam_auth == "REQUIRED" ? {
    proxy_resource_id = one(module.database[*].proxy_resource_id)
    username          = one(module.database[*].username)
  } : null
  kafka              = local.kafka
  topics             = local.topics
  # Writers wake the Lambda relay after commit only when it is the relay (cdc.tf).
  relay_wake_up      = local.lambda_relay
  # The CDC relay's slot, "" in lambda mode: gates the CDC retention job and makes reconciliation slot-aware (cdc.tf).
  cdc_slot           = local.cdc_slot
  cdc_retention = {
    schedule_expression = var.cdc_retention_schedule_expression
    input               = local.relay_schedule_input # Scheduler's shape of RelayTrigger
  }

  msk = local.full_stack ? {
    cluster_arn      = one(module.kafka[*].cluster_arn)
    topic_arn_prefix = one(module.kafka[*].topic_arn_prefix)
    group_arn_prefix = one(module.kafka[*].group_arn_prefix)
  } : null

  relay = {
    memory_mb                    = 1024
    timeout_seconds              = var.relay_timeout_seconds
    safety_margin_seconds        = var.relay_safety_margin_seconds
    idle_limit_seconds           = var.relay_idle_limit_seconds
    scheduled_idle_limit_seconds = var.relay_scheduled_idle_limit_seconds
    batch_size                   = var.relay_batch_size
    metrics_namespace            = "OrderService/Relay"
  }

  consumer = {
    memory_mb                  = 1024
    timeout_seconds            = 60
    batch_size                 = var.consumer_batch_size
    batching_window_seconds    = var.consumer_batching_window_seconds
    starting_position          = var.consumer_starting_position
    # Only transient failures (database down) reach the retries: poison is dead-lettered by the function itself.
    # 10000 is the API maximum. NOT -1: with an on-failure destination configured, Lambda turns "infinite" into
    # 10 retries, after which it skips the batch (ADR 0045).
    maximum_retry_attempts     = 10000
    maximum_record_age_seconds = -1
    consumer_group_id          = "${var.name}-cancel-consumer"
    metrics_namespace          = local.consumer_metrics_namespace
  }

  # The drift check on its own schedule, with an alarm on any drift (modules/functions/reconciliation.tf, ADR 0071).
  # Where Scheduler never fires (LocalStack's free tier) an EventBridge rule stands in (localstack.tf) and no alarm.
  reconciliation = {
    schedule_expression = var.reconciliation_schedule_expression
    # Scheduler's fields only (ReconciliationTrigger): the pending threshold and checkable window are the job's
    # environment (RECONCILIATION_*, next to the relay's RELAY_RETENTION_AGE), so the job refuses at start-up a window
    # that reaches past retention.
    input               = local.relay_schedule_input
    scheduled           = local.full_stack
    alarm_sns_topic_arn = var.alarm_sns_topic_arn
    pending_threshold   = var.reconciliation_pending_threshold
    checkable_window    = var.reconciliation_checkable_window
  }

  tags = local.tags

  # Migrations need a reachable database: wait for the proxy target, not just the proxy.
  depends_on = [module.database]
}

module "api" {
  source                    = "./modules/api"
  count                     = local.full_stack ? 1 : 0
  name                      = var.name
  function_name             = module.functions.create_order_function_name
  function_alias_name       = module.functions.create_order_alias_name # not "live": the permission must wait for the alias
  function_alias_invoke_arn = module.functions.create_order_alias_invoke_arn
  jwt                       = var.api_jwt
  throttling_rate_limit     = var.api_throttling_rate_limit
  throttling_burst_limit    = var.api_throttling_burst_limit
  tags                      = local.tags
}

module "schedule" {
  source          = "./modules/schedule"
  count           = local.full_stack && local.lambda_relay ? 1 : 0
  name            = var.name
  relay_alias_arn = module.functions.relay_alias_arn
  input           = local.relay_schedule_input
  tags            = local.tags
}

module "monitoring" {
  source                      = "./modules/monitoring"
  count                       = local.full_stack ? 1 : 0
  name                        = var.name
  alarm_sns_topic_arn         = var.alarm_sns_topic_arn
  relay_lag_threshold_seconds = var.relay_lag_threshold_seconds
  lambda_relay                = local.lambda_relay # in msk_connect mode the CDC module alarms on the slot instead
  function_names              = module.functions.function_names
  consumer_function_name      = module.functions.consumer_function_name

  # No schedule, so no schedule DLQ, in msk_connect mode (the keys depend only on relay_mode, known at plan).
  must_stay_empty_queues = merge(
    local.lambda_relay ? { "relay-schedule-dlq" = one(module.schedule[*].dlq_name) } : {},
    { "esm-failures" = module.functions.consumer_failures_queue_name },
  )

  # Names from outbox-relay-fn's RelayMetrics (RelayLag is in milliseconds) and cancel-consumer-fn's CancelMetrics.
  emf = {
    relay_namespace                 = "OrderService/Relay"
    relay_dimensions                = { Service = "outbox-relay" }
    oldest_unpublished_age_metric   = "RelayLag"
    parked_metric                   = "ParkedBacklog"
    consumer_namespace              = local.consumer_metrics_namespace
    consumer_dimensions             = { Service = "cancel-consumer" }
    dead_lettered_metric            = "DeadLettered"
    transient_failures_metric       = "TransientFailures"
    inbox_retention_failures_metric = "InboxRetentionFailures"
  }

  tags = local.tags
}
