output "alarm_names" {
  description = "Every alarm created."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.relay_lag : a.alarm_name],
    [aws_cloudwatch_metric_alarm.parked_events.alarm_name, aws_cloudwatch_metric_alarm.dead_lettered.alarm_name, aws_cloudwatch_metric_alarm.consumer_transient_failures.alarm_name, aws_cloudwatch_metric_alarm.consumer_inbox_retention_failures.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.queue_not_empty : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.esm_destination_failures : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.function_errors : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.function_throttles : a.alarm_name],
  )
}
