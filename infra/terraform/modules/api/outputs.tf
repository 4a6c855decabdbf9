output "api_url" {
  description = "Base URL of the HTTP API ($default stage: no stage prefix)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "api_id" {
  description = "HTTP API id."
  value       = aws_apigatewayv2_api.this.id
}
