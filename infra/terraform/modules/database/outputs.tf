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
