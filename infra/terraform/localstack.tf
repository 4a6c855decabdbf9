# Free-tier LocalStack substitutes (target = "localstack"); ADR 0043 explains each one.
#
#   AWS                                  | here
#   HTTP API (payload 2.0)               | Lambda Function URL on the create-order alias (same 2.0 payload, no stage)
#   EventBridge Scheduler (never fires)  | EventBridge rules with the same Input JSON (relay, reconciliation job)
#   Aurora + RDS Proxy                   | compose PostgreSQL (var.local_db)
#   MSK + event source mapping           | compose Kafka; local-runtime's EsmPollerMain container polls
#                                        | order.cancelled and calls Lambda Invoke on the consumer alias

locals {
  free_tier = var.target == "localstack"
}

# Qualifiers come from the alias outputs, not the literal "live", so these wait until the alias exists.
resource "aws_lambda_function_url" "create_order" {
  count              = local.free_tier ? 1 : 0
  function_name      = module.functions.create_order_function_name
  qualifier          = module.functions.create_order_alias_name
  authorization_type = "NONE"
}

# A NONE-auth URL still needs a public resource policy (AWS; LocalStack does not enforce it).
resource "aws_lambda_permission" "create_order_url" {
  count                  = local.free_tier ? 1 : 0
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = module.functions.create_order_function_name
  qualifier              = module.functions.create_order_alias_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_cloudwatch_event_rule" "relay" {
  count               = local.free_tier && local.lambda_relay ? 1 : 0
  name                = "${var.name}-outbox-relay"
  description         = "Stand-in for the Scheduler schedule: drains the outbox every minute"
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "relay" {
  count = local.free_tier && local.lambda_relay ? 1 : 0
  rule  = aws_cloudwatch_event_rule.relay[0].name
  arn   = module.functions.relay_alias_arn
  # A rule would otherwise send the ScheduledEvent envelope; Input makes it send what Scheduler sends.
  input = local.relay_schedule_input
}

resource "aws_lambda_permission" "relay_rule" {
  count         = local.free_tier && local.lambda_relay ? 1 : 0
  statement_id  = "AllowEventBridgeRule"
  action        = "lambda:InvokeFunction"
  function_name = module.functions.relay_function_name
  qualifier     = module.functions.relay_alias_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.relay[0].arn
}

# The reconciliation job's schedule (ADR 0071): the same Input as Scheduler would send. No alarm on the free tier.
resource "aws_cloudwatch_event_rule" "reconciliation" {
  count               = local.free_tier ? 1 : 0
  name                = "${var.name}-outbox-reconciliation"
  description         = "Stand-in for the Scheduler schedule: the drift check between orders and the outbox"
  schedule_expression = var.reconciliation_schedule_expression
}

resource "aws_cloudwatch_event_target" "reconciliation" {
  count = local.free_tier ? 1 : 0
  rule  = aws_cloudwatch_event_rule.reconciliation[0].name
  arn   = module.functions.reconciliation_alias_arn
  input = local.relay_schedule_input
}

resource "aws_lambda_permission" "reconciliation_rule" {
  count         = local.free_tier ? 1 : 0
  statement_id  = "AllowEventBridgeRule"
  action        = "lambda:InvokeFunction"
  function_name = module.functions.reconciliation_function_name
  qualifier     = module.functions.reconciliation_alias_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.reconciliation[0].arn
}
