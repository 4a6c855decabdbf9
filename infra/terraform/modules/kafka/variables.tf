variable "name" {
  description = "Cluster name."
  type        = string
}

variable "cluster_type" {
  description = "serverless (default: no brokers to size, IAM only) or provisioned (brokers; topics managed by Terraform)."
  type        = string
  default     = "serverless"
  validation {
    condition     = contains(["serverless", "provisioned"], var.cluster_type)
    error_message = "cluster_type must be serverless or provisioned."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR (egress of the cluster security group)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per AZ (provisioned: one broker per subnet)."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group of the functions."
  type        = string
}

variable "topics" {
  description = "Topics, name -> partitions and retention. Kafka key = order id, so partitions bound consumer parallelism per topic."
  type = map(object({
    partitions   = number
    retention_ms = number
  }))
  default = {
    "order.created"       = { partitions = 6, retention_ms = 604800000 }
    "order.cancelled"     = { partitions = 6, retention_ms = 604800000 }
    "order.cancelled.dlq" = { partitions = 1, retention_ms = 2419200000 }
  }
}

variable "kafka_version" {
  description = "Kafka version for the provisioned cluster (3.6+ is needed for the topic API)."
  type        = string
  default     = "3.9.x"
}

variable "broker_instance_type" {
  description = "Broker instance type for the provisioned cluster."
  type        = string
  default     = "kafka.t3.small"
}

variable "broker_volume_gb" {
  description = "EBS volume per broker for the provisioned cluster."
  type        = number
  default     = 20
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
