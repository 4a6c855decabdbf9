# The CDC retention job (ADR 0082), deployed only with the CDC relay (relay_mode = "msk_connect", var.cdc_slot set).
# Nobody marks rows in that mode, so published rows stay in outbox_message; a third handler in the relay's artifact,
# com.example.relay.CdcRetentionFunction, deletes rows older than RELAY_RETENTION_AGE once the connector's replication
# slot (CDC_SLOT) has confirmed them. The deletes reach the connector as change events, which its router drops.
# Same pattern as the reconciliation job (reconciliation.tf): the relay's jar and environment, its own role, log
# group, alias and Scheduler schedule. With the Lambda relay none of this exists (the relay trims its own log).

resource "aws_lambda_function" "outbox_cdc_retention" {
  count            = local.cdc_retention ? 1 : 0
  function_name    = "${var.name}-outbox-cdc-retention"
  description      = "CDC mode: deletes outbox rows older than the retention age that the connector's slot has confirmed"
  role             = aws_iam_role.fn["outbox-cdc-retention"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "com.example.relay.CdcRetentionFunction"
  filename         = "${var.repo_root}/outbox-relay-fn/target/outbox-relay-fn.jar"
  source_code_hash = filebase64sha256(local.relay_jar)
  memory_size      = 512
  timeout          = 300 # CDC_RETENTION_BUDGET (120 s) of waiting for the slot, plus the deletes
  publish          = true # no SnapStart: one cold start per run is cheaper than a snapshot for a job this rare

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn["outbox-cdc-retention"].name
  }

  # The relay's jar reads the relay's application.yml: the job gets exactly the relay's environment (DB_*, CDC_SLOT,
  # CDC_RETENTION_BUDGET, RELAY_RETENTION_AGE, RELAY_RETENTION_BATCH_SIZE; the Kafka beans are never created).
  environment {
    variables = aws_lambda_function.outbox_relay.environment[0].variables
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.base]
}

resource "aws_lambda_alias" "outbox_cdc_retention" {
  count            = local.cdc_retention ? 1 : 0
  name             = local.alias_name
  function_name    = aws_lambda_function.outbox_cdc_retention[0].function_name
  function_version = aws_lambda_function.outbox_cdc_retention[0].version
  depends_on       = [aws_lambda_invocation.schema_migration]
}

# --- schedule: EventBridge Scheduler, like the reconciliation job's ---------------------------------------------------

resource "aws_iam_role" "cdc_retention_scheduler" {
  count              = local.cdc_retention ? 1 : 0
  name_prefix        = "${substr(var.name, 0, 24)}-cdcret-sched-"
  assume_role_policy = data.aws_iam_policy_document.assume_reconciliation_scheduler.json
  tags               = var.tags
}

data "aws_iam_policy_document" "cdc_retention_scheduler" {
  count = local.cdc_retention ? 1 : 0
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_alias.outbox_cdc_retention[0].arn]
  }
}

resource "aws_iam_role_policy" "cdc_retention_scheduler" {
  count  = local.cdc_retention ? 1 : 0
  name   = "invoke-cdc-retention"
  role   = aws_iam_role.cdc_retention_scheduler[0].id
  policy = data.aws_iam_policy_document.cdc_retention_scheduler[0].json
}

resource "aws_scheduler_schedule" "outbox_cdc_retention" {
  count               = local.cdc_retention ? 1 : 0
  name                = "${var.name}-outbox-cdc-retention"
  description         = "CDC mode: delete outbox rows the connector's slot has confirmed, older than the retention age"
  schedule_expression = var.cdc_retention.schedule_expression

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.outbox_cdc_retention[0].arn
    role_arn = aws_iam_role.cdc_retention_scheduler[0].arn
    input    = var.cdc_retention.input

    retry_policy {
      # A missed run is caught by the next one: rows only wait longer.
      maximum_event_age_in_seconds = 600
      maximum_retry_attempts       = 1
    }
  }
}

output "cdc_retention_function_name" {
  description = "The CDC retention job's function name; null with the Lambda relay."
  value       = one(aws_lambda_function.outbox_cdc_retention[*].function_name)
}
