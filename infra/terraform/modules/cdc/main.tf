# The CDC relay on Amazon MSK Connect (relay_mode = "msk_connect", ADR 0081): Debezium's PostgreSQL connector reads the
# outbox table from Aurora's write-ahead log (pgoutput, one logical replication slot) and its Outbox Event Router
# publishes each committed outbox row to the topic, key, value and headers the Lambda relay would use.
#
#   cdc-relay-plugin/target/cdc-relay-plugin.zip -> S3 -> custom plugin (immutable; a new zip is a new plugin)
#   worker configuration (converters, offset topic)   -> connector (Kafka Connect 3.7.x, Java 17), IAM auth to MSK
#   connector -> Aurora CLUSTER endpoint, port 5432    (RDS Proxy cannot carry replication connections)
#
# The connector configuration is the one the local embedded engine runs (cdc-relay's outbox-connector.json) plus the
# AWS connection settings below; infra/checks checks every property name against the Debezium classes in the zip.

locals {
  # Literal paths below the repository root, so infra/checks reads exactly the files Terraform reads.
  plugin_zip            = "${var.repo_root}/cdc-relay-plugin/target/cdc-relay-plugin.zip"
  common_connector_file = "${var.repo_root}/cdc-relay/src/main/resources/outbox-connector.json"
  # The worker settings the local engine uses too (producer delivery settings, offset commit interval; ADR 0082).
  common_worker_file = "${var.repo_root}/cdc-relay/src/main/resources/outbox-worker.json"

  plugin_zip_hash  = filesha256(local.plugin_zip)
  connector_name   = "${var.name}-cdc-relay"
  connector_common = jsondecode(file(local.common_connector_file))

  # Only what differs on AWS: where the database is and who the connector logs in as. Everything about the outbox
  # (table, slot, publication, router mapping, converters) comes from the shared file.
  connector_aws = {
    "database.hostname" = var.database.cluster_endpoint
    "database.port"     = "5432"
    "database.dbname"   = var.database.database_name
    "database.user"     = var.replication_username
    # A reference, resolved by the workers at start-up through the plugin's SecretsManagerConfigProvider (declared in
    # the worker configuration), so the password is in no configuration MSK Connect stores. $${ is a literal ${.
    "database.password" = "$${secretsmanager:${aws_secretsmanager_secret.replication.name}:password}"
    "database.sslmode"  = "require"
    # The publication is created once by scripts/prepare-cdc-database.sh as the table owner: the replication role
    # owns nothing, so it must not try to create one.
    "publication.autocreate.mode" = "disabled"
    # One replication slot is read by exactly one task.
    "tasks.max" = "1"
  }
  connector_configuration = merge(local.connector_common, local.connector_aws)

  worker_common = jsondecode(file(local.common_worker_file))
  # Only what the local engine has no use for: converters (the connector configuration names them too), the offsets
  # topic and the secrets provider. acks, idempotence, linger and the offset commit interval come from the shared file;
  # max.in.flight.requests.per.connection (1) and delivery.timeout.ms (unbounded) are Kafka Connect's own source
  # producer settings, which MSK Connect's worker configuration cannot change (ADR 0082).
  worker_aws = {
    "key.converter"        = "org.apache.kafka.connect.storage.StringConverter"
    "value.converter"      = "org.apache.kafka.connect.converters.ByteArrayConverter"
    # Stable across connector replacements (a new plugin or configuration): the replacement resumes from the stored
    # LSN instead of the slot's position alone. MSK Connect's role may use __amazon_msk_connect_* topics (iam.tf).
    "offset.storage.topic" = "__amazon_msk_connect_offsets_${local.connector_name}"
    # ${secretsmanager:<secret name>:<key>} in the connector configuration (cdc-relay-plugin, ADR 0081).
    "config.providers"                             = "secretsmanager"
    "config.providers.secretsmanager.class"        = "com.example.cdcplugin.SecretsManagerConfigProvider"
    "config.providers.secretsmanager.param.region" = data.aws_region.current.region
  }
  worker_properties      = merge(local.worker_common, local.worker_aws)
  worker_properties_file = join("\n", [for key in sort(keys(local.worker_properties)) : "${key}=${local.worker_properties[key]}"])

  # Only the routed topics: the heartbeat records (heartbeat.interval.ms in the shared file, ADR 0082) and the heartbeat
  # table's changes are dropped by its Filter transform, so no heartbeat topic is written, created or granted.
  written_topics = var.topics

  alarm_actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]
}

# --- the replication user's credentials ---------------------------------------------------------------------------

resource "random_password" "replication" {
  length  = 32
  special = false # scripts/prepare-cdc-database.sh puts it into SQL; 32 alphanumerics is ~190 bits
}

resource "aws_secretsmanager_secret" "replication" {
  name_prefix             = "${var.name}-cdc-replication-"
  description             = "PostgreSQL replication role of ${local.connector_name} (rds_replication; created by scripts/prepare-cdc-database.sh)"
  recovery_window_in_days = 0
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "replication" {
  secret_id = aws_secretsmanager_secret.replication.id
  secret_string = jsonencode({
    username = var.replication_username
    password = random_password.replication.result
    host     = var.database.cluster_endpoint
    port     = 5432
    dbname   = var.database.database_name
  })
}

# --- the plugin --------------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "plugins" {
  bucket_prefix = "${substr(var.name, 0, 30)}-cdc-plugins-"
  force_destroy = true # holds only build artifacts, re-uploaded by every apply
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "plugins" {
  bucket                  = aws_s3_bucket.plugins.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "plugin" {
  bucket      = aws_s3_bucket.plugins.id
  key         = "cdc-relay-plugin/${local.plugin_zip_hash}.zip"
  source      = local.plugin_zip
  source_hash = local.plugin_zip_hash
  tags        = var.tags
}

# Custom plugins cannot be changed in place: a new zip gets a new plugin (named by its hash), created before the
# connector moves to it and the old one is deleted.
resource "aws_mskconnect_custom_plugin" "debezium" {
  name         = "${local.connector_name}-${substr(local.plugin_zip_hash, 0, 12)}"
  description  = "Debezium PostgreSQL connector with the Outbox Event Router, and aws-msk-iam-auth (cdc-relay-plugin)"
  content_type = "ZIP"

  location {
    s3 {
      bucket_arn = aws_s3_bucket.plugins.arn
      file_key   = aws_s3_object.plugin.key
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_mskconnect_worker_configuration" "cdc" {
  name                    = "${local.connector_name}-${substr(sha256(local.worker_properties_file), 0, 12)}"
  description             = "Converters and offset topic of ${local.connector_name}"
  properties_file_content = local.worker_properties_file

  lifecycle {
    create_before_destroy = true
  }
}

# --- network: the workers reach Aurora's cluster endpoint and MSK, nothing else -----------------------------------

resource "aws_security_group" "connector" {
  name        = local.connector_name
  description = "MSK Connect workers of the CDC relay: Aurora 5432, MSK 9098, VPC endpoints 443"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_egress_rule" "connector_to_aurora" {
  security_group_id            = aws_security_group.connector.id
  referenced_security_group_id = var.database.security_group_id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "connector_to_kafka" {
  security_group_id            = aws_security_group.connector.id
  referenced_security_group_id = var.kafka.security_group_id
  from_port                    = 9098
  to_port                      = 9098
  ip_protocol                  = "tcp"
}

# The config provider reads the replication secret through the secretsmanager interface endpoint (no NAT).
resource "aws_vpc_security_group_egress_rule" "connector_to_secretsmanager_endpoint" {
  security_group_id = aws_security_group.connector.id
  description       = "HTTPS to the Secrets Manager interface endpoint"
  cidr_ipv4         = var.vpc_cidr_block
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "aurora_from_connector" {
  security_group_id            = var.database.security_group_id
  description                  = "Logical replication from the CDC relay (the cluster endpoint; RDS Proxy cannot carry it)"
  referenced_security_group_id = aws_security_group.connector.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "kafka_from_connector" {
  security_group_id            = var.kafka.security_group_id
  description                  = "IAM-authenticated Kafka from the CDC relay"
  referenced_security_group_id = aws_security_group.connector.id
  from_port                    = 9098
  to_port                      = 9098
  ip_protocol                  = "tcp"
}

# --- the connector -----------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "connector" {
  name              = "/aws/mskconnect/${local.connector_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_mskconnect_connector" "cdc" {
  name                       = local.connector_name
  description                = "Outbox CDC relay: Debezium PostgreSQL + Outbox Event Router (ADR 0081)"
  kafkaconnect_version       = var.kafka_connect_version
  service_execution_role_arn = aws_iam_role.connector.arn
  connector_configuration    = local.connector_configuration

  capacity {
    autoscaling {
      mcu_count        = var.capacity.mcu_count
      min_worker_count = var.capacity.min_worker_count
      max_worker_count = var.capacity.max_worker_count

      scale_in_policy {
        cpu_utilization_percentage = var.capacity.scale_in_cpu_pct
      }

      scale_out_policy {
        cpu_utilization_percentage = var.capacity.scale_out_cpu_pct
      }
    }
  }

  kafka_cluster {
    apache_kafka_cluster {
      bootstrap_servers = var.kafka.bootstrap_servers

      vpc {
        security_groups = [aws_security_group.connector.id]
        subnets         = var.subnet_ids
      }
    }
  }

  kafka_cluster_client_authentication {
    authentication_type = "IAM"
  }

  kafka_cluster_encryption_in_transit {
    encryption_type = "TLS"
  }

  plugin {
    custom_plugin {
      arn      = aws_mskconnect_custom_plugin.debezium.arn
      revision = aws_mskconnect_custom_plugin.debezium.latest_revision
    }
  }

  worker_configuration {
    arn      = aws_mskconnect_worker_configuration.cdc.arn
    revision = aws_mskconnect_worker_configuration.cdc.latest_revision
  }

  log_delivery {
    worker_log_delivery {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.connector.name
      }
    }
  }

  tags = var.tags

  # The role's Kafka permissions must exist before the workers start; the secret before anyone runs the script.
  depends_on = [aws_iam_role_policy.connector_kafka, aws_iam_role_policy.connector_secret, aws_secretsmanager_secret_version.replication]
}

# --- alarms: the slot holds WAL until the connector confirms it; a stopped connector fills Aurora's storage -----------

resource "aws_cloudwatch_metric_alarm" "slot_lag" {
  alarm_name          = "${local.connector_name}-replication-slot-lag"
  alarm_description   = "The outbox replication slot holds back more than ${var.slot_lag_threshold_bytes} bytes of WAL for 15 minutes: the CDC connector is down or behind, events wait and Aurora keeps the WAL."
  namespace           = "AWS/RDS"
  metric_name         = "OldestReplicationSlotLag"
  dimensions          = { DBInstanceIdentifier = var.database.writer_instance_id }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.slot_lag_threshold_bytes
  treat_missing_data  = "notBreaching" # no slot yet (before the first start) reports nothing
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "connector_not_running" {
  alarm_name          = "${local.connector_name}-not-running"
  alarm_description   = "The CDC connector has no running task: no outbox row reaches Kafka and the slot's WAL grows."
  namespace           = "AWS/KafkaConnect"
  metric_name         = "RunningTaskCount"
  dimensions          = { ConnectorName = aws_mskconnect_connector.cdc.name }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching" # MSK Connect reports every minute while the connector exists
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}
