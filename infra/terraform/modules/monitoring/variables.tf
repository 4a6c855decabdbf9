variable "name" {
  description = "Name prefix for alarms."
  type        = string
}

variable "alarm_sns_topic_arn" {
  description = "Shared SNS topic every alarm notifies; null = alarms without actions (console only)."
  type        = string
  default     = null
}

variable "function_names" {
  description = "Functions to watch for errors and throttles, keyed by a short role name."
  type        = map(string)
}

variable "consumer_function_name" {
  description = "Function behind the MSK event source mapping (null when there is none)."
  type        = string
  default     = null
}

variable "must_stay_empty_queues" {
  description = "SQS queues that alarm when not empty, keyed by a short name (schedule DLQ, ESM on-failure destination)."
  type        = map(string)
  default     = {}
}

variable "emf" {
  description = "Namespace, metric names and dimension sets of the EMF metrics the relay and the consumer emit (see outbox-relay-fn/README.md and cancel-consumer-fn/README.md)."
  type = object({
    relay_namespace                 = string
    relay_dimensions                = map(string)
    oldest_unpublished_age_metric   = string # milliseconds
    parked_metric                   = string
    consumer_namespace              = string
    consumer_dimensions             = map(string)
    dead_lettered_metric            = string
    transient_failures_metric       = string
    inbox_retention_failures_metric = string
  })
}

variable "relay_lag_threshold_seconds" {
  description = "Alarm when the oldest unpublished outbox row is older than this for 3 minutes."
  type        = number
  default     = 120
}

variable "lambda_relay" {
  description = "True when the Lambda relay empties the outbox (relay_mode = \"lambda\"); its RelayLag alarm exists only then."
  type        = bool
  default     = true
}

variable "error_threshold" {
  description = "Errors per 5 minutes per function before alarming."
  type        = number
  default     = 0
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
