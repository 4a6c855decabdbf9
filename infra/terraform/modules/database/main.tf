# Aurora PostgreSQL Serverless v2 behind RDS Proxy. Everything sits in private subnets; nothing is publicly accessible.
# The proxy pools connections, so many concurrent Lambda environments (each with a 2-connection Hikari pool) share a
# small number of database connections. Credentials: one Secrets Manager secret, used by the proxy to log in to
# Aurora and (see ADR 0040) handed to the functions as DB_PASSWORD.

resource "random_password" "db" {
  length  = 32
  special = false # keeps the JDBC URL and shell quoting simple; 32 alphanumerics is ~190 bits
}

resource "aws_secretsmanager_secret" "db" {
  name_prefix             = "${var.name}-db-"
  description             = "Aurora credentials for ${var.name}; RDS Proxy logs in with these"
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({
    username = var.username
    password = random_password.db.result
  })
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_security_group" "proxy" {
  name        = "${var.name}-db-proxy"
  description = "RDS Proxy: PostgreSQL from the Lambda security group only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "proxy_from_lambda" {
  security_group_id            = aws_security_group.proxy.id
  referenced_security_group_id = var.client_security_group_id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "proxy_to_aurora" {
  security_group_id            = aws_security_group.proxy.id
  referenced_security_group_id = aws_security_group.aurora.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

# RDS Proxy fetches the credentials from Secrets Manager through its own ENIs in these private subnets: with no NAT
# it needs the secretsmanager interface endpoint (modules/network) and HTTPS egress to it, or the target never
# becomes available.
resource "aws_vpc_security_group_egress_rule" "proxy_to_secretsmanager_endpoint" {
  security_group_id = aws_security_group.proxy.id
  description       = "HTTPS to the Secrets Manager interface endpoint (no NAT)"
  cidr_ipv4         = var.vpc_cidr_block
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_security_group" "aurora" {
  name        = "${var.name}-aurora"
  description = "Aurora: PostgreSQL from RDS Proxy only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "aurora_from_proxy" {
  security_group_id            = aws_security_group.aurora.id
  referenced_security_group_id = aws_security_group.proxy.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_rds_cluster" "this" {
  cluster_identifier          = var.name
  engine                      = "aurora-postgresql"
  engine_mode                 = "provisioned" # Serverless v2 is "provisioned" mode with db.serverless instances
  engine_version              = var.engine_version
  database_name               = var.database_name
  master_username             = var.username
  master_password             = random_password.db.result
  db_subnet_group_name        = aws_db_subnet_group.this.name
  vpc_security_group_ids      = [aws_security_group.aurora.id]
  # parameters.tf: rds.logical_replication for the CDC relay (relay_mode = "msk_connect", ADR 0081)
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  storage_encrypted           = true
  backup_retention_period     = var.backup_retention_days
  deletion_protection         = var.deletion_protection
  skip_final_snapshot         = !var.deletion_protection
  final_snapshot_identifier   = var.deletion_protection ? "${var.name}-final" : null
  copy_tags_to_snapshot       = true
  apply_immediately           = true

  serverlessv2_scaling_configuration {
    min_capacity = var.min_acu
    max_capacity = var.max_acu
  }

  tags = var.tags
}

resource "aws_rds_cluster_instance" "writer" {
  identifier           = "${var.name}-writer"
  cluster_identifier   = aws_rds_cluster.this.id
  instance_class       = "db.serverless"
  engine               = aws_rds_cluster.this.engine
  engine_version       = aws_rds_cluster.this.engine_version
  db_subnet_group_name = aws_db_subnet_group.this.name
  publicly_accessible  = false
  tags                 = var.tags
}

# --- RDS Proxy ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "proxy_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "proxy_secret" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db.arn]
  }
}

resource "aws_iam_role" "proxy" {
  name_prefix        = "${var.name}-proxy-"
  assume_role_policy = data.aws_iam_policy_document.proxy_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "proxy_secret" {
  name   = "read-db-secret"
  role   = aws_iam_role.proxy.id
  policy = data.aws_iam_policy_document.proxy_secret.json
}

resource "aws_db_proxy" "this" {
  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy.arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy.id]
  require_tls            = true
  idle_client_timeout    = 900 # Lambda environments idle between invocations; the proxy closes their client side after 15 min

  auth {
    auth_scheme = "SECRETS"
    secret_arn  = aws_secretsmanager_secret.db.arn
    # DISABLED today: functions log in with the secret's password (ADR 0040). Set REQUIRED for the IAM-auth upgrade.
    iam_auth    = var.proxy_iam_auth
    description = "Aurora master credentials"
  }

  tags = var.tags
}

resource "aws_db_proxy_default_target_group" "this" {
  db_proxy_name = aws_db_proxy.this.name

  connection_pool_config {
    max_connections_percent      = 90
    max_idle_connections_percent = 10
    connection_borrow_timeout    = 30
  }
}

resource "aws_db_proxy_target" "this" {
  db_proxy_name         = aws_db_proxy.this.name
  target_group_name     = aws_db_proxy_default_target_group.this.name
  db_cluster_identifier = aws_rds_cluster.this.cluster_identifier

  # The cluster has no instance to connect to until the writer exists; the schema migration (invoked right after
  # this module) would otherwise race a proxy whose target is still unavailable.
  depends_on = [aws_rds_cluster_instance.writer]
}
