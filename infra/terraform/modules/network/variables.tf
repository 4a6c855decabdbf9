variable "name" {
  description = "Name prefix for every network resource."
  type        = string
}

variable "region" {
  description = "AWS region, used to build VPC endpoint service names."
  type        = string
}

variable "cidr_block" {
  description = "VPC CIDR; private subnets are /20 slices of it."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones (and private subnets). Aurora and MSK Serverless need at least 2."
  type        = number
  default     = 2
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "interface_endpoints" {
  description = "AWS services reachable from the private subnets through interface endpoints (no NAT): secretsmanager for RDS Proxy's credential lookups; sqs for the MSK event source mapping's on-failure destination (AWS requires an endpoint for it in the cluster VPC); lambda for the writers' after-commit wake-up of the relay (ADR 0014) and, with sts, for the mapping's pollers in on-demand mode."
  type        = list(string)
  default     = ["secretsmanager", "sqs", "lambda", "sts"]
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
