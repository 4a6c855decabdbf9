# Amazon MSK with IAM authentication. Serverless by default (pay per partition-hour and GB, no brokers to size);
# "provisioned" gives a broker-based cluster for steady high throughput. Either way clients use SASL_SSL + AWS_MSK_IAM
# on port 9098 and are authorised by the kafka-cluster:* IAM actions in their function role.
#
# Topics: on provisioned clusters Terraform creates them through MSK's topic API (aws_msk_topic). MSK Serverless has no
# topic API, so scripts/create-topics.sh creates them once per environment from inside the VPC (ADR 0041).

locals {
  serverless  = var.cluster_type == "serverless"
  # Exactly one of the two cluster resources exists; one(concat(...)) picks it without indexing an empty list.
  cluster_arn = one(concat(aws_msk_serverless_cluster.this[*].arn, aws_msk_cluster.this[*].arn))
  bootstrap   = one(concat(aws_msk_serverless_cluster.this[*].bootstrap_brokers_sasl_iam, aws_msk_cluster.this[*].bootstrap_brokers_sasl_iam))
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> -> the topic and group ARNs share "<name>/<uuid>".
  cluster_path = join("/", slice(split("/", local.cluster_arn), 1, 3))
  arn_prefix   = join(":", slice(split(":", local.cluster_arn), 0, 5))
}

resource "aws_security_group" "kafka" {
  name        = "${var.name}-kafka"
  description = "MSK: IAM-authenticated Kafka (9098) from the functions and from the event source mapping pollers"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "kafka_from_lambda" {
  security_group_id            = aws_security_group.kafka.id
  referenced_security_group_id = var.client_security_group_id
  from_port                    = 9098
  to_port                      = 9098
  ip_protocol                  = "tcp"
}

# The event source mapping's pollers use the cluster's own security group; AWS requires it to admit itself.
resource "aws_vpc_security_group_ingress_rule" "kafka_self" {
  security_group_id            = aws_security_group.kafka.id
  referenced_security_group_id = aws_security_group.kafka.id
  ip_protocol                  = "-1"
}

resource "aws_vpc_security_group_egress_rule" "kafka_in_vpc" {
  security_group_id = aws_security_group.kafka.id
  description       = "Pollers reach the Lambda/STS/SQS interface endpoints and the brokers"
  cidr_ipv4         = var.vpc_cidr_block
  ip_protocol       = "-1"
}

resource "aws_msk_serverless_cluster" "this" {
  count        = local.serverless ? 1 : 0
  cluster_name = var.name

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.kafka.id]
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }

  tags = var.tags
}

resource "aws_msk_cluster" "this" {
  count                  = local.serverless ? 0 : 1
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = length(var.subnet_ids)

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.kafka.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_gb
      }
    }
  }

  client_authentication {
    sasl {
      iam = true
    }
    unauthenticated = false
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  tags = var.tags
}

resource "aws_msk_topic" "this" {
  for_each           = local.serverless ? {} : var.topics
  cluster_arn        = aws_msk_cluster.this[0].arn
  name               = each.key
  partition_count    = each.value.partitions
  replication_factor = min(3, length(var.subnet_ids))
  configs = jsonencode({
    "retention.ms"        = tostring(each.value.retention_ms)
    "min.insync.replicas" = tostring(max(1, min(3, length(var.subnet_ids)) - 1))
  })
}
