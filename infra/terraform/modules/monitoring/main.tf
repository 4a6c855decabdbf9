# CloudWatch alarms, all notifying one SNS topic supplied by the caller (so a team can share its paging topic).
# Application metrics come from the functions' EMF log lines (aws-embedded-metrics); platform metrics from AWS/Lambda
# and AWS/SQS. Names of the EMF metrics are variables so they follow the code, not the other way round.

locals {
  actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]
}

# --- outbox health (EMF from the relay) ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "relay_lag" {
  # Only the Lambda relay emits RelayLag; with the CDC relay (relay_mode = "msk_connect") silence would breach.
  count               = var.lambda_relay ? 1 : 0
  alarm_name          = "${var.name}-relay-lag"
  alarm_description   = "Oldest unpublished outbox row is older than ${var.relay_lag_threshold_seconds} s: events are waiting (relay failing, Kafka down, or schedule stopped)."
  namespace           = var.emf.relay_namespace
  metric_name         = var.emf.oldest_unpublished_age_metric
  dimensions          = var.emf.relay_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.relay_lag_threshold_seconds * 1000 # RelayLag is emitted in milliseconds
  treat_missing_data  = "breaching" # the relay reports every run; silence means it is not running
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "parked_events" {
  alarm_name          = "${var.name}-outbox-parked"
  alarm_description   = "Outbox rows parked after exhausting publish attempts; they need a human (see the relay runbook)."
  namespace           = var.emf.relay_namespace
  metric_name         = var.emf.parked_metric
  dimensions          = var.emf.relay_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dead_lettered" {
  alarm_name          = "${var.name}-order-cancelled-dlq"
  alarm_description   = "The cancel consumer dead-lettered order.cancelled records to order.cancelled.dlq."
  namespace           = var.emf.consumer_namespace
  metric_name         = var.emf.dead_lettered_metric
  dimensions          = var.emf.consumer_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  tags                = var.tags
}

# A partition blocked by a transient failure (database down) is invisible to the Errors alarm: the consumer reports
# batchItemFailures and returns normally, and the mapping retries up to 10000 times before the on-failure queue
# sees anything. This is the early signal.
resource "aws_cloudwatch_metric_alarm" "consumer_transient_failures" {
  alarm_name          = "${var.name}-cancel-consumer-retrying"
  alarm_description   = "The cancel consumer has reported transient failures (e.g. database unreachable) for 15 minutes: its order.cancelled partitions are stalled and being retried."
  namespace           = var.emf.consumer_namespace
  metric_name         = var.emf.transient_failures_metric
  dimensions          = var.emf.consumer_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The consumer trims its own inbox after batches (ADR 0026). A failed pass loses nothing and fails no batch, but
# if passes keep failing (a revoked privilege, lock timeouts) the inbox grows without bound; the log line alone
# would go unseen.
resource "aws_cloudwatch_metric_alarm" "consumer_inbox_retention_failures" {
  alarm_name          = "${var.name}-cancel-consumer-inbox-retention-failing"
  alarm_description   = "The cancel consumer's inbox retention pass failed (see its log line 'Inbox retention failed'): expired inbox entries are not being deleted and the table grows."
  namespace           = var.emf.consumer_namespace
  metric_name         = var.emf.inbox_retention_failures_metric
  dimensions          = var.emf.consumer_dimensions
  statistic           = "Sum"
  period              = 3600 # at most one pass a minute per execution environment
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching" # no batches, no pass: nothing to report
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# --- queues that must stay empty: schedule DLQ and the event source mapping's on-failure destination -----------

resource "aws_cloudwatch_metric_alarm" "queue_not_empty" {
  for_each            = var.must_stay_empty_queues
  alarm_name          = "${var.name}-${each.key}-not-empty"
  alarm_description   = "SQS queue ${each.value} holds records: ${each.key == "esm-failures" ? "the event source mapping gave up on a batch" : "scheduled relay invocations failed after retries"}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "esm_destination_failures" {
  count               = var.consumer_function_name == null ? 0 : 1
  alarm_name          = "${var.name}-esm-destination-delivery-failures"
  alarm_description   = "Lambda could not even deliver a failed batch's metadata to the on-failure destination."
  namespace           = "AWS/Lambda"
  metric_name         = "DestinationDeliveryFailures"
  dimensions          = { FunctionName = var.consumer_function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  tags                = var.tags
}

# --- every function: errors and throttles -------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each            = var.function_names
  alarm_name          = "${var.name}-${each.key}-errors"
  alarm_description   = "${each.value} returned errors (unhandled exceptions, timeouts)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each            = var.function_names
  alarm_name          = "${var.name}-${each.key}-throttles"
  alarm_description   = "${each.value} was throttled (concurrency limit reached)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  tags                = var.tags
}
