output "schedule_arn" {
  description = "Scheduler schedule ARN."
  value       = aws_scheduler_schedule.relay.arn
}

output "dlq_name" {
  description = "Dead-letter queue for schedule deliveries that failed after retries."
  value       = aws_sqs_queue.dlq.name
}
