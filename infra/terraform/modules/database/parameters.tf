# The cluster parameter group exists in both relay modes, so switching relay_mode only changes a parameter, never the
# group the cluster is attached to. relay_mode = "msk_connect" turns on logical decoding for the Debezium connector
# (ADR 0081). rds.logical_replication is static: it takes effect only after the writer reboots, which Terraform does
# not do (infra/terraform/README.md, "Switching the relay").

resource "aws_rds_cluster_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = "aurora-postgresql${split(".", var.engine_version)[0]}"
  description = "Aurora PostgreSQL parameters for ${var.name} (logical replication ${var.logical_replication ? "on" : "off"})"

  dynamic "parameter" {
    for_each = var.logical_replication ? [1] : []
    content {
      name         = "rds.logical_replication"
      value        = "1"
      apply_method = "pending-reboot"
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}
