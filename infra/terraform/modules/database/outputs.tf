output "proxy_endpoint" {
  description = "RDS Proxy endpoint host name (the functions connect here, never to Aurora directly)."
  value       = aws_db_proxy.this.endpoint
}

output "jdbc_url" {
  description = "JDBC URL through the proxy, TLS required."
  value       = "jdbc:postgresql://${aws_db_proxy.this.endpoint}:5432/${var.database_name}?sslmode=require"
}

output "username" {
  description = "Database user."
  value       = var.username
}

output "password" {
  description = "Database password (the secret's value); see ADR 0040 for why it is passed as DB_PASSWORD."
  value       = random_password.db.result
  sensitive   = true
}

output "secret_arn" {
  description = "Secrets Manager secret holding the credentials."
  value       = aws_secretsmanager_secret.db.arn
}

output "proxy_arn" {
  description = "RDS Proxy ARN."
  value       = aws_db_proxy.this.arn
}

output "cluster_arn" {
  description = "Aurora cluster ARN."
  value       = aws_rds_cluster.this.arn
}

output "proxy_resource_id" {
  description = "RDS Proxy resource id (prx-...), used in rds-db:connect ARNs."
  value       = element(split(":", aws_db_proxy.this.arn), 6)
}

output "cluster_endpoint" {
  description = "Aurora cluster (writer) endpoint. Only the CDC connector connects here: RDS Proxy cannot carry logical replication connections (ADR 0081)."
  value       = aws_rds_cluster.this.endpoint
}

output "database_name" {
  description = "Database the order service uses."
  value       = var.database_name
}

output "aurora_security_group_id" {
  description = "Security group of the Aurora cluster; the CDC connector is admitted to it on 5432."
  value       = aws_security_group.aurora.id
}

output "writer_instance_id" {
  description = "Identifier of the writer instance (replication-slot metrics and the reboot after rds.logical_replication changes)."
  value       = aws_rds_cluster_instance.writer.identifier
}
