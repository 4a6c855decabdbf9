variable "name" {
  description = "Name prefix for the cluster, proxy, secret and security groups."
  type        = string
}

variable "vpc_id" {
  description = "VPC to place the database in."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR; the proxy may reach the Secrets Manager interface endpoint (HTTPS) inside it."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (at least two AZs) for Aurora and RDS Proxy."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group of the functions; the only one allowed to reach the proxy."
  type        = string
}

variable "engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "database_name" {
  description = "Database created in the cluster."
  type        = string
  default     = "orders"
}

variable "username" {
  description = "Database user stored in the secret."
  type        = string
  default     = "orders"
}

variable "min_acu" {
  description = "Minimum Aurora capacity units. 0.5 keeps the writer warm (about 44 USD/month); 0 allows auto-pause on engine versions that support it, at the price of a ~15 s resume on the first request."
  type        = number
  default     = 0.5
}

variable "max_acu" {
  description = "Maximum Aurora capacity units; caps the busy-hour bill."
  type        = number
  default     = 4
}

variable "backup_retention_days" {
  description = "Automated backup retention."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Protect the cluster from terraform destroy (and take a final snapshot). Off for sandboxes."
  type        = bool
  default     = false
}

variable "secret_recovery_window_days" {
  description = "Days Secrets Manager keeps a deleted secret; 0 deletes at once (handy for sandboxes that are re-created)."
  type        = number
  default     = 0
}

variable "proxy_iam_auth" {
  description = "RDS Proxy client IAM auth: DISABLED (password from the secret, today) or REQUIRED (IAM tokens, see ADR 0040)."
  type        = string
  default     = "DISABLED"
  validation {
    condition     = contains(["DISABLED", "REQUIRED"], var.proxy_iam_auth)
    error_message = "proxy_iam_auth must be DISABLED or REQUIRED."
  }
}

variable "logical_replication" {
  description = "Set rds.logical_replication = 1 in the cluster parameter group (the CDC relay, ADR 0081). Static: the writer must be rebooted before it takes effect."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
