# One role per function, each with only what that function does:
#   all:              write its own log group; manage its VPC ENIs (only when in a VPC)
#   outbox-relay:     MSK Connect + DescribeTopic/WriteData on the three topics + WriteDataIdempotently (idempotent producer)
#   cancel-consumer:  MSK read + consumer-group actions on order.cancelled, the cluster describe calls the event source
#                     mapping makes with the function's role, and SendMessage to the mapping's on-failure queue
#   create-order:     lambda:InvokeFunction on the relay's live alias only (the after-commit wake-up, ADR 0014)
#   cancel-consumer:  the same wake-up, for its dead letters
#   schema-migration: database only (password arrives as DB_PASSWORD; nothing to call at runtime)
#   outbox-reconciliation: database only (reads; reconciliation.tf)
#   outbox-cdc-retention:  database only (deletes captured outbox rows; cdc_retention.tf, only with the CDC relay)
# rds-db:connect is added only for the IAM-auth upgrade path (var.db_proxy_iam, ADR 0040).

locals {
  roles = toset(concat(["create-order", "outbox-relay", "cancel-consumer", "schema-migration", "outbox-reconciliation"],
  local.cdc_retention ? ["outbox-cdc-retention"] : []))
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  for_each           = local.roles
  name_prefix        = "${substr(var.name, 0, 20)}-${substr(each.key, 0, 12)}-"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = var.tags
}

data "aws_iam_policy_document" "base" {
  for_each = local.roles

  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.fn[each.key].arn}:*"]
  }

  dynamic "statement" {
    for_each = local.in_vpc ? [1] : []
    content {
      sid = "VpcNetworkInterfaces"
      # ENI actions do not support resource-level scoping; this is the AWSLambdaVPCAccessExecutionRole set.
      actions = [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
      ]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.db_proxy_iam == null ? [] : [var.db_proxy_iam]
    content {
      sid       = "RdsProxyIamAuth"
      actions   = ["rds-db:connect"]
      resources = ["arn:${data.aws_partition.current.partition}:rds-db:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:dbuser:${statement.value.proxy_resource_id}/${statement.value.username}"]
    }
  }
}

resource "aws_iam_role_policy" "base" {
  for_each = local.roles
  name     = "logs-network-db"
  role     = aws_iam_role.fn[each.key].id
  policy   = data.aws_iam_policy_document.base[each.key].json
}

# --- relay: idempotent producer on the three topics ---------------------------------------------------------------

data "aws_iam_policy_document" "relay_kafka" {
  count = var.msk == null ? 0 : 1

  statement {
    sid       = "ConnectAndProduceIdempotently"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"]
    resources = [var.msk.cluster_arn]
  }

  statement {
    sid     = "WriteTopics"
    actions = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
    resources = [
      "${var.msk.topic_arn_prefix}/${var.topics.order_created}",
      "${var.msk.topic_arn_prefix}/${var.topics.order_cancelled_dlq}",
    ]
  }
}

resource "aws_iam_role_policy" "relay_kafka" {
  count  = var.msk == null ? 0 : 1
  name   = "msk-produce"
  role   = aws_iam_role.fn["outbox-relay"].id
  policy = data.aws_iam_policy_document.relay_kafka[0].json
}

# --- consumer: what the MSK event source mapping does with the function's role ------------------------------------

data "aws_iam_policy_document" "consumer_kafka" {
  count = var.msk == null ? 0 : 1

  statement {
    sid       = "ClusterForEventSourceMapping"
    actions   = ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers", "kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"]
    resources = [var.msk.cluster_arn]
  }

  statement {
    sid       = "ReadOrderCancelled"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = ["${var.msk.topic_arn_prefix}/${var.topics.order_cancelled}"]
  }

  statement {
    sid       = "ConsumerGroup"
    actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = ["${var.msk.group_arn_prefix}/${var.consumer.consumer_group_id}"]
  }

  statement {
    sid = "PollerNetworkInterfaces"
    # The mapping's pollers attach to the cluster's subnets; these describe/create calls are not resource-scoped.
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeVpcs",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "OnFailureDestination"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.consumer_failures[0].arn]
  }
}

resource "aws_iam_role_policy" "consumer_kafka" {
  count  = var.msk == null ? 0 : 1
  name   = "msk-consume"
  role   = aws_iam_role.fn["cancel-consumer"].id
  policy = data.aws_iam_policy_document.consumer_kafka[0].json
}

# --- writers: wake the relay after commit (ADR 0014) -----------------------------------------------------------------

data "aws_iam_policy_document" "wake_relay" {
  statement {
    sid       = "WakeRelayAlias"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.relay_alias_arn]
  }
}

resource "aws_iam_role_policy" "wake_relay" {
  for_each = var.relay_wake_up ? toset(["create-order", "cancel-consumer"]) : toset([])
  name     = "wake-relay"
  role     = aws_iam_role.fn[each.key].id
  policy   = data.aws_iam_policy_document.wake_relay.json
}
