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
  description = "AWS services reachable from the private subnets through interface endpoints (no NAT). The MSK event source mapping needs lambda, sts and its on-failure destination (sqs)."
  type        = list(string)
  default     = ["lambda", "sts", "sqs"]
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
