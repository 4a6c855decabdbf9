# The Lambda functions. Each is written out in full on purpose: handler, artifact and environment keys are
# literals so infra/checks can verify them against the jars and each module's application.yml without running
# Terraform. Every function gets its own role (iam.tf) and log group.
#
# Deploy order inside one apply: new jars -> schema migration invoked (migration.tf) -> new versions published ->
# aliases moved. Traffic (API, schedule, event source mapping) always targets the "live" alias, so a failed
# migration leaves the previous version serving.

locals {
  create_order_jar = "${var.repo_root}/create-order-fn/target/create-order-fn.jar"
  migration_jar    = "${var.repo_root}/schema-migration-fn/target/schema-migration-fn.jar"
  relay_jar        = "${var.repo_root}/outbox-relay-fn/target/outbox-relay-fn.jar"
  consumer_jar     = "${var.repo_root}/cancel-consumer-fn/target/cancel-consumer-fn.jar"
  in_vpc           = length(var.subnet_ids) > 0
  alias_name       = "live"
  # The relay alias's ARN, built rather than read from aws_lambda_alias so the writers do not wait for the
  # migration that gates the alias; it never changes between deploys.
  relay_alias_arn  = "${aws_lambda_function.outbox_relay.arn}:${local.alias_name}"
  # With the CDC relay (relay_mode = "msk_connect") nothing is woken: an empty value turns the wake-up off.
  relay_wake_up_target = var.relay_wake_up ? local.relay_alias_arn : ""
  # With the CDC relay, its retention job runs from the relay's jar (cdc_retention.tf, ADR 0082).
  cdc_retention = var.cdc_slot != ""
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each          = local.roles # iam.tf: one per function, outbox-cdc-retention only with the CDC relay
  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# --- create-order: HTTP API (payload 2.0) -> Micronaut controllers ---------------------------------------------------

resource "aws_lambda_function" "create_order" {
  function_name    = "${var.name}-create-order"
  description      = "POST /orders: writes the order and its order.created outbox row in one transaction"
  role             = aws_iam_role.fn["create-order"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "com.example.createorder.CreateOrderFunction"
  filename         = "${var.repo_root}/create-order-fn/target/create-order-fn.jar"
  source_code_hash = filebase64sha256(local.create_order_jar)
  memory_size      = var.create_order.memory_mb
  timeout          = var.create_order.timeout_seconds
  publish          = true

  dynamic "snap_start" {
    for_each = var.snapstart ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn["create-order"].name
  }

  environment {
    variables = {
      DB_URL                                = var.db.url
      DB_USERNAME                           = var.db.username
      DB_PASSWORD                           = var.db.password
      CREATE_ORDER_DB_CONNECTION_TIMEOUT_MS = "5000"
      CREATE_ORDER_EVENT_SOURCE             = "/order-service/create-order-fn"
      CREATE_ORDER_MAX_BODY_BYTES           = "65536"
      # After a commit that appended outbox rows, wake the relay (async invoke of its alias) unless one is
      # watching the outbox (ADR 0014). The role may invoke exactly this ARN (iam.tf). "" (the CDC relay) = off.
      RELAY_WAKE_UP_FUNCTION = local.relay_wake_up_target
    }
  }

  tags = var.tags

  # CreateFunction checks the role's ENI permissions for VPC functions; on destroy the policy must outlive the ENIs.
  depends_on = [aws_iam_role_policy.base]
}

# --- schema migration: its own jar (schema-migration-fn), invoked once per deploy (migration.tf) --------------------
# Its own jar, not create-order's: micronaut-flyway's beans and Flyway's classes stay out of every other function's
# cold start (ADR 0005).

resource "aws_lambda_function" "schema_migration" {
  function_name    = "${var.name}-schema-migration"
  description      = "Runs the outbox and order Flyway migrations; invoked by Terraform once per artifact change"
  role             = aws_iam_role.fn["schema-migration"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "com.example.migration.SchemaMigrationFunction"
  filename         = "${var.repo_root}/schema-migration-fn/target/schema-migration-fn.jar"
  source_code_hash = filebase64sha256(local.migration_jar)
  memory_size      = var.migration.memory_mb
  timeout          = var.migration.timeout_seconds
  publish          = false # invoked at $LATEST right after the update; no SnapStart, it runs once

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn["schema-migration"].name
  }

  # The keys of schema-migration-fn's application.yml: the database only.
  environment {
    variables = {
      DB_URL      = var.db.url
      DB_USERNAME = var.db.username
      DB_PASSWORD = var.db.password
    }
  }

  tags = var.tags

  # CreateFunction checks the role's ENI permissions for VPC functions; on destroy the policy must outlive the ENIs.
  depends_on = [aws_iam_role_policy.base]
}

# --- outbox relay: scheduled, drains the outbox to Kafka ----------------------------------------------------------

resource "aws_lambda_function" "outbox_relay" {
  function_name    = "${var.name}-outbox-relay"
  description      = "Publishes outbox rows to Kafka; woken by writers after commit, and every minute as a safety net"
  role             = aws_iam_role.fn["outbox-relay"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "com.example.relay.OutboxRelayFunction"
  filename         = "${var.repo_root}/outbox-relay-fn/target/outbox-relay-fn.jar"
  source_code_hash = filebase64sha256(local.relay_jar)
  memory_size      = var.relay.memory_mb
  timeout          = var.relay.timeout_seconds # the drain loop reads the remaining time and keeps safety_margin spare
  publish          = true

  dynamic "snap_start" {
    for_each = var.snapstart ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn["outbox-relay"].name
  }

  environment {
    variables = {
      DB_URL                            = var.db.url
      DB_USERNAME                       = var.db.username
      DB_PASSWORD                       = var.db.password
      KAFKA_BOOTSTRAP_SERVERS           = var.kafka.bootstrap_servers
      KAFKA_SECURITY_PROTOCOL           = var.kafka.security_protocol
      KAFKA_SASL_MECHANISM              = var.kafka.sasl_mechanism
      KAFKA_SASL_JAAS_CONFIG            = var.kafka.sasl_jaas_config
      KAFKA_SASL_CALLBACK_HANDLER_CLASS = var.kafka.sasl_callback_handler
      TOPIC_ORDER_CREATED               = var.topics.order_created
      TOPIC_ORDER_CANCELLED_DLQ         = var.topics.order_cancelled_dlq
      RELAY_BATCH_SIZE                  = tostring(var.relay.batch_size)
      # The drain loop stops claiming when less than the safety margin of the Lambda timeout remains.
      RELAY_SAFETY_MARGIN               = "${var.relay.safety_margin_seconds}s"
      RELAY_MIN_TIME_BUDGET             = "5s" # less left at the start: a function error, not a silent no-op (ADR 0015)
      # A run started by a writer's wake-up idles idle_limit (a burst is served by one run); a scheduled run idles
      # scheduled_idle_limit (0: return once empty), so an idle hour costs seconds of relay time (ADR 0014).
      RELAY_IDLE_LIMIT                  = "${var.relay.idle_limit_seconds}s"
      RELAY_SCHEDULED_IDLE_LIMIT        = "${var.relay.scheduled_idle_limit_seconds}s"
      RELAY_IDLE_POLL_MIN               = "5ms"
      RELAY_IDLE_POLL_MAX               = "100ms"
      RELAY_MAX_DURATION                = "${var.relay.timeout_seconds}s" # only used without a Lambda context
      RELAY_CLAIM_HOLD_LIMIT            = "60s"
      RELAY_MAX_ATTEMPTS                = "5"
      RELAY_RETRY_BACKOFF               = "1s"
      RELAY_RETRY_BACKOFF_MAX           = "5m"
      RELAY_RETENTION_AGE               = "7d"
      # The reconciliation job's (reconciliation.tf, same jar and environment): its window must be shorter than
      # RELAY_RETENTION_AGE above, or the job refuses to start (ADR 0071).
      RECONCILIATION_PENDING_THRESHOLD  = var.reconciliation.pending_threshold
      RECONCILIATION_CHECKABLE_WINDOW   = var.reconciliation.checkable_window
      RELAY_RETENTION_BATCH_SIZE        = "5000"
      RELAY_RETENTION_BUDGET            = "2s"
      # "" with the Lambda relay; the connector's slot with the CDC relay: this function then refuses to drain, and the
      # reconciliation and CDC retention jobs (same jar, same environment) read the slot (ADR 0082).
      CDC_SLOT                          = var.cdc_slot
      CDC_RETENTION_BUDGET              = "120s" # above the connector's 10 s offset commit (outbox-worker.json) plus its 10 s heartbeat
      RELAY_METRICS_NAMESPACE           = var.relay.metrics_namespace
      RELAY_KAFKA_LINGER_MS             = "5"
      RELAY_KAFKA_BATCH_SIZE            = "262144"
      RELAY_KAFKA_COMPRESSION           = "lz4"
      RELAY_KAFKA_DELIVERY_TIMEOUT_MS   = "20000"
      RELAY_KAFKA_REQUEST_TIMEOUT_MS    = "10000"
      RELAY_KAFKA_MAX_BLOCK_MS          = "5000"
    }
  }

  tags = var.tags

  # CreateFunction checks the role's ENI permissions for VPC functions; on destroy the policy must outlive the ENIs.
  depends_on = [aws_iam_role_policy.base]
}

# --- cancel consumer: order.cancelled via the MSK event source mapping --------------------------------------------

resource "aws_lambda_function" "cancel_consumer" {
  function_name    = "${var.name}-cancel-consumer"
  description      = "Applies order.cancelled exactly-once-in-effect through the inbox; poison records go to the DLQ via the outbox"
  role             = aws_iam_role.fn["cancel-consumer"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "com.example.cancel.CancelConsumerFunction"
  filename         = "${var.repo_root}/cancel-consumer-fn/target/cancel-consumer-fn.jar"
  source_code_hash = filebase64sha256(local.consumer_jar)
  memory_size      = var.consumer.memory_mb
  timeout          = var.consumer.timeout_seconds
  publish          = true

  dynamic "snap_start" {
    for_each = var.snapstart ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn["cancel-consumer"].name
  }

  environment {
    variables = {
      DB_URL                          = var.db.url
      DB_USERNAME                     = var.db.username
      DB_PASSWORD                     = var.db.password
      CANCEL_DB_CONNECTION_TIMEOUT_MS = "5000"
      # Inbox namespace: changing it forgets every dedupe entry, so it is pinned here, not derived from var.name.
      CANCEL_CONSUMER_NAME     = "cancel-consumer-fn"
      CANCEL_EVENT_SOURCE      = "/order-service/cancel-consumer-fn"
      # The mapping sets FunctionResponseTypes = ["ReportBatchItemFailures"] (event_source.tf), so partial batches work.
      CANCEL_FAILURE_REPORTING = "partial-batch"
      CANCEL_TIME_RESERVE_MS   = "3000"
      CANCEL_METRICS_NAMESPACE = var.consumer.metrics_namespace
      # The relay producer's max.request.size (Kafka's default; the relay does not change it): a dead letter that
      # would not fit 16 KiB below it leaves the original's value out, so the relay can publish it, not park it.
      CANCEL_DEAD_LETTER_MAX_RECORD_BYTES = "1048576"
      # The consumer trims its own inbox entries after some batches (ADR 0026). The horizon is order.cancelled's
      # retention.ms (modules/kafka var.topics, scripts/create-topics.sh): the function refuses to start unless the
      # age exceeds it, and infra/checks fails the build if the horizon is below the topic's retention.
      CANCEL_INBOX_RETENTION_AGE  = "30d"
      CANCEL_INBOX_DEDUPE_HORIZON = "7d"
      # Dead letters leave through the outbox: wake the relay after committing one (ADR 0014); "" = off (CDC relay).
      RELAY_WAKE_UP_FUNCTION = local.relay_wake_up_target
    }
  }

  tags = var.tags

  # CreateFunction checks the role's ENI permissions for VPC functions; on destroy the policy must outlive the ENIs.
  depends_on = [aws_iam_role_policy.base]
}

# --- aliases: every trigger targets "live"; moved only after the migration succeeded ------------------------------

resource "aws_lambda_alias" "create_order" {
  name             = local.alias_name
  function_name    = aws_lambda_function.create_order.function_name
  function_version = aws_lambda_function.create_order.version
  depends_on       = [aws_lambda_invocation.schema_migration]
}

resource "aws_lambda_alias" "outbox_relay" {
  name             = local.alias_name
  function_name    = aws_lambda_function.outbox_relay.function_name
  function_version = aws_lambda_function.outbox_relay.version
  depends_on       = [aws_lambda_invocation.schema_migration]
}

resource "aws_lambda_alias" "cancel_consumer" {
  name             = local.alias_name
  function_name    = aws_lambda_function.cancel_consumer.function_name
  function_version = aws_lambda_function.cancel_consumer.version
  depends_on       = [aws_lambda_invocation.schema_migration]
}

# --- wake-ups are asynchronous invokes of the relay alias (ADR 0014) -------------------------------------------------
# A wake-up older than a minute is worthless (the schedule has run since), and a failed run needs no retry (the next
# wake-up or tick does the same work), so Lambda neither retries nor keeps these events long.

resource "aws_lambda_function_event_invoke_config" "outbox_relay" {
  count                        = var.relay_wake_up ? 1 : 0
  function_name                = aws_lambda_function.outbox_relay.function_name
  qualifier                    = aws_lambda_alias.outbox_relay.name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}
