variable "name" {
  description = "API name."
  type        = string
}

variable "function_name" {
  description = "create-order function name (for the invoke permission)."
  type        = string
}

variable "function_alias_name" {
  description = "Alias the API invokes."
  type        = string
}

variable "function_alias_invoke_arn" {
  description = "Invoke ARN of the create-order alias."
  type        = string
}

variable "jwt" {
  description = "Optional JWT authorizer (e.g. Cognito or any OIDC issuer); null = open API."
  type = object({
    issuer   = string
    audience = list(string)
  })
  default = null
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second for the stage."
  type        = number
  default     = 100
}

variable "throttling_burst_limit" {
  description = "Burst capacity for the stage."
  type        = number
  default     = 200
}

variable "integration_timeout_ms" {
  description = "Integration timeout (HTTP API maximum is 30000); keep above create-order's Lambda timeout."
  type        = number
  default     = 29000
}

variable "log_retention_days" {
  description = "Access log retention."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
