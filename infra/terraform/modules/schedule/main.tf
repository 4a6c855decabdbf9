# EventBridge Scheduler invokes the relay alias every minute (the minimum rate). Scheduler, not a rule, because it
# has a per-target retry policy and dead-letter queue and sends exactly the Input JSON we give it (ADR 0042).
# The relay drains in a loop inside each invocation, so a 1-minute schedule does not mean 1-minute latency.

data "aws_iam_policy_document" "assume_scheduler" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name_prefix        = "${substr(var.name, 0, 24)}-sched-"
  assume_role_policy = data.aws_iam_policy_document.assume_scheduler.json
  tags               = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [var.relay_alias_arn]
  }
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-relay"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-relay-schedule-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_scheduler_schedule" "relay" {
  name                = "${var.name}-outbox-relay"
  description         = "Drains the outbox every minute"
  schedule_expression = "rate(1 minute)"
  state               = var.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.relay_alias_arn
    role_arn = aws_iam_role.scheduler.arn
    input    = var.input

    retry_policy {
      # A missed tick is harmless (the next one drains the same rows), so retry briefly and let the DLQ/alarm speak.
      maximum_event_age_in_seconds = 300
      maximum_retry_attempts       = 2
    }

    dead_letter_config {
      arn = aws_sqs_queue.dlq.arn
    }
  }
}
