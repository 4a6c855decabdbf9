# order.cancelled -> cancel consumer alias. Argument notes (the provider docs lag AWS here):
#   * function_response_types = ReportBatchItemFailures, maximum_retry_attempts, maximum_record_age_in_seconds and
#     bisect_batch_on_function_error are accepted for Kafka sources only in provisioned poller mode, hence the
#     provisioned_poller_config block (AWS "Configuring error handling controls for Kafka event sources").
#   * maximum_retry_attempts is a number, never -1: with an on-failure destination Lambda applies at most 10 retries
#     to "infinite" (AWS "Using a Kafka topic as an on-failure destination"), then skips the batch (ADR 0045).
#   * destination_config.on_failure receives metadata (topic, partition, offsets) about batches Lambda gave up on.
#     Poison messages never get that far: the consumer parks them in order.cancelled.dlq through the outbox and
#     reports success; this queue catches infrastructure failures outlasting the retries. Replay by offset from it
#     within the topic's retention. AWS requires an SQS VPC endpoint in the cluster's VPC (modules/network).
#   * starting_position and the consumer group id are fixed at creation; changing them replaces the mapping.

resource "aws_sqs_queue" "consumer_failures" {
  count                     = var.msk == null ? 0 : 1
  name                      = "${var.name}-cancel-consumer-failures"
  message_retention_seconds = 1209600 # 14 days, the maximum: time to replay by hand
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_lambda_event_source_mapping" "order_cancelled" {
  count             = var.msk == null ? 0 : 1
  event_source_arn  = var.msk.cluster_arn
  function_name     = aws_lambda_alias.cancel_consumer.arn
  topics            = [var.topics.order_cancelled]
  starting_position = var.consumer.starting_position

  batch_size                         = var.consumer.batch_size
  maximum_batching_window_in_seconds = var.consumer.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  maximum_retry_attempts             = var.consumer.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.consumer.maximum_record_age_seconds
  bisect_batch_on_function_error     = true

  amazon_managed_kafka_event_source_config {
    consumer_group_id = var.consumer.consumer_group_id
  }

  provisioned_poller_config {
    minimum_pollers = 1
    maximum_pollers = 3
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.consumer_failures[0].arn
    }
  }

  depends_on = [aws_iam_role_policy.consumer_kafka]
}
