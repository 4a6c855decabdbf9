# The reconciliation job (ADR 0071): the third line of defence after the transaction and the relay. A second handler
# in the relay's artifact, com.example.relay.ReconciliationFunction, runs the same drift check as the `reconcile`
# command on its own schedule and emits EMF drift metrics; the alarm below pages on any drift:
#   orders without their order.created row | rows unpublished past the threshold | order.created rows without their order
# Everything about the job is in this file, so infra/checks (ReconciliationJobCheck) can follow the wiring:
# function -> alias -> schedule target, and the alarm's namespace, metric and dimensions against the jar's constants.

variable "reconciliation" {
  description = "The reconciliation job: schedule expression, Scheduler input JSON (ReconciliationTrigger), whether the Scheduler schedule and the alarm exist (false where Scheduler never fires, e.g. LocalStack's free tier), the SNS topic the alarm notifies (null = no action), and its pending threshold and checkable window (durations, set as RECONCILIATION_* in the relay's environment, which the job shares; the window must be shorter than RELAY_RETENTION_AGE)."
  type = object({
    schedule_expression = string
    input               = string
    scheduled           = bool
    alarm_sns_topic_arn = optional(string)
    pending_threshold   = string
    checkable_window    = string
  })
}

resource "aws_lambda_function" "outbox_reconciliation" {
  function_name    = "${var.name}-outbox-reconciliation"
  description      = "Drift check between orders and the outbox; emits OrderService/Reconciliation Drift (alarm on > 0)"
  role             = aws_iam_role.fn["outbox-reconciliation"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "com.example.relay.ReconciliationFunction"
  filename         = "${var.repo_root}/outbox-relay-fn/target/outbox-relay-fn.jar"
  source_code_hash = filebase64sha256(local.relay_jar)
  memory_size      = 512
  timeout          = 120 # three indexed queries over the checkable window; a few seconds normally
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
    log_group  = aws_cloudwatch_log_group.fn["outbox-reconciliation"].name
  }

  # The relay's jar reads the relay's application.yml, so the job gets exactly the relay's environment (it uses DB_*,
  # RECONCILIATION_*, CDC_SLOT and RELAY_RETENTION_AGE, which its window must stay below; the Kafka beans are never
  # created). The check reads these keys through the reference.
  environment {
    variables = aws_lambda_function.outbox_relay.environment[0].variables
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.base]
}

resource "aws_lambda_alias" "outbox_reconciliation" {
  name             = local.alias_name
  function_name    = aws_lambda_function.outbox_reconciliation.function_name
  function_version = aws_lambda_function.outbox_reconciliation.version
  depends_on       = [aws_lambda_invocation.schema_migration]
}

# --- schedule: EventBridge Scheduler, like the relay's (ADR 0042) -----------------------------------------------------

data "aws_iam_policy_document" "assume_reconciliation_scheduler" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reconciliation_scheduler" {
  count              = var.reconciliation.scheduled ? 1 : 0
  name_prefix        = "${substr(var.name, 0, 24)}-recon-sched-"
  assume_role_policy = data.aws_iam_policy_document.assume_reconciliation_scheduler.json
  tags               = var.tags
}

data "aws_iam_policy_document" "reconciliation_scheduler" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_alias.outbox_reconciliation.arn]
  }
}

resource "aws_iam_role_policy" "reconciliation_scheduler" {
  count  = var.reconciliation.scheduled ? 1 : 0
  name   = "invoke-reconciliation"
  role   = aws_iam_role.reconciliation_scheduler[0].id
  policy = data.aws_iam_policy_document.reconciliation_scheduler.json
}

resource "aws_scheduler_schedule" "outbox_reconciliation" {
  count               = var.reconciliation.scheduled ? 1 : 0
  name                = "${var.name}-outbox-reconciliation"
  description         = "Drift check between orders and the outbox"
  schedule_expression = var.reconciliation.schedule_expression

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.outbox_reconciliation.arn
    role_arn = aws_iam_role.reconciliation_scheduler[0].arn
    input    = var.reconciliation.input

    retry_policy {
      # A missed run is caught by the next one; a run that keeps failing leaves the alarm without data, which pages.
      maximum_event_age_in_seconds = 300
      maximum_retry_attempts       = 1
    }
  }
}

# --- alarm: any drift pages ----------------------------------------------------------------------------------------
# Namespace, metric and dimension are ReconciliationMetrics' constants, written out so infra/checks can compare them
# with the built jar. Missing data is breaching: a job that stops reporting (database unreachable, schedule gone) is
# a defence line down, and pages too. The period spans three runs at the default rate(5 minutes).

resource "aws_cloudwatch_metric_alarm" "reconciliation_drift" {
  count               = var.reconciliation.scheduled ? 1 : 0
  alarm_name          = "${var.name}-outbox-drift"
  alarm_description   = "Reconciliation found drift between orders and the outbox (order without its event, row unpublished past the threshold, or event without its order), or stopped reporting. Run `java -jar outbox-relay-fn.jar reconcile` for the rows (outbox-relay-fn/README.md)."
  namespace           = "OrderService/Reconciliation"
  metric_name         = "Drift"
  dimensions          = { Service = "outbox-reconciliation" }
  statistic           = "Maximum"
  period              = 900
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "breaching"
  alarm_actions       = var.reconciliation.alarm_sns_topic_arn == null ? [] : [var.reconciliation.alarm_sns_topic_arn]
  ok_actions          = var.reconciliation.alarm_sns_topic_arn == null ? [] : [var.reconciliation.alarm_sns_topic_arn]
  tags                = var.tags
}

output "reconciliation_function_name" {
  description = "Reconciliation job function name."
  value       = aws_lambda_function.outbox_reconciliation.function_name
}

output "reconciliation_alias_name" {
  description = "Name of the reconciliation job's live alias. Reference this (not a literal) so permissions on the qualifier wait for the alias."
  value       = aws_lambda_alias.outbox_reconciliation.name
}

output "reconciliation_alias_arn" {
  description = "ARN of the reconciliation job's live alias (schedule target)."
  value       = aws_lambda_alias.outbox_reconciliation.arn
}
