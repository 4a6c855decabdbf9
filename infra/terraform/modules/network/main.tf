# Private-only network: no internet gateway, no NAT. Nothing here is reachable from the internet.
# Lambda reaches RDS Proxy and MSK inside the VPC (MSK IAM auth signs requests locally with the function's role
# credentials, so the functions call no AWS API). The AWS APIs that managed components call from inside these
# subnets come through interface endpoints: Secrets Manager (RDS Proxy's credentials), SQS (the event source
# mapping's on-failure destination), Lambda and STS (the mapping's pollers in on-demand mode).

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true # interface endpoints with private DNS need both
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "private" {
  count             = var.az_count
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.cidr_block, 4, count.index)
  tags              = merge(var.tags, { Name = "${var.name}-private-${local.azs[count.index]}" })
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  count          = var.az_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# One security group per role so rules read as "who may talk to whom".
resource "aws_security_group" "lambda" {
  name        = "${var.name}-lambda"
  description = "Lambda functions: outbound to the DB proxy, MSK and VPC endpoints only"
  vpc_id      = aws_vpc.this.id
  tags        = var.tags
}

resource "aws_vpc_security_group_egress_rule" "lambda_all_in_vpc" {
  security_group_id = aws_security_group.lambda.id
  description       = "Anything inside the VPC (proxy 5432, MSK 9098, endpoints 443); there is no route out of it"
  cidr_ipv4         = var.cidr_block
  ip_protocol       = "-1"
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints: HTTPS from inside the VPC"
  vpc_id      = aws_vpc.this.id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  security_group_id = aws_security_group.endpoints.id
  cidr_ipv4         = var.cidr_block
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(var.interface_endpoints)
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  tags                = merge(var.tags, { Name = "${var.name}-${each.value}" })
}
