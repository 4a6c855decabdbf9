variable "name" {
  description = "Name prefix."
  type        = string
}

variable "relay_alias_arn" {
  description = "ARN of the relay's live alias."
  type        = string
}

variable "input" {
  description = "JSON the relay accepts (Scheduler sends it verbatim; placeholders like <aws.scheduler.execution-id> are filled in)."
  type        = string
}

variable "enabled" {
  description = "Pause the schedule without destroying it."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
