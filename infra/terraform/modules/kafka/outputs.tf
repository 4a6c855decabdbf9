output "cluster_arn" {
  description = "MSK cluster ARN (event source for the consumer)."
  value       = local.cluster_arn
}

output "bootstrap_brokers" {
  description = "SASL/IAM bootstrap servers (port 9098)."
  value       = local.bootstrap
}

output "security_group_id" {
  description = "Cluster security group."
  value       = aws_security_group.kafka.id
}

output "topic_arn_prefix" {
  description = "ARN prefix for this cluster's topics: <prefix>/<topic name>."
  value       = "${local.arn_prefix}:topic/${local.cluster_path}"
}

output "group_arn_prefix" {
  description = "ARN prefix for this cluster's consumer groups: <prefix>/<group id>."
  value       = "${local.arn_prefix}:group/${local.cluster_path}"
}

output "topics_managed_by_terraform" {
  description = "True on provisioned clusters; on serverless run scripts/create-topics.sh once."
  value       = var.cluster_type == "provisioned"
}
