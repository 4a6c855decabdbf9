package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4Test {

    private static final SigV4.Credentials EXAMPLE =
            new SigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

    @Test
    void matchesTheAwsSignatureTestSuiteGetVanilla() {
        Map<String, String> headers = SigV4.sign("GET", "/", "", Map.of("host", "example.amazonaws.com"), new byte[0],
                "us-east-1", "service", EXAMPLE, Instant.parse("2015-08-30T12:36:00Z"));

        assertThat(headers).containsEntry("x-amz-date", "20150830T123600Z");
        assertThat(headers.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void invokeRequestTargetsTheQualifiedFunctionAndIsSigned() {
        var api = new LambdaInvokeApi(URI.create("http://localstack:4566"), "orders-local-cancel-consumer:live",
                "eu-west-1", new SigV4.Credentials("test", "test", "token-1"),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));

        var request = api.request("{\"records\":{}}".getBytes(StandardCharsets.UTF_8));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).hasToString(
                "http://localstack:4566/2015-03-31/functions/orders-local-cancel-consumer/invocations?Qualifier=live");
        assertThat(request.headers().firstValue("X-Amz-Invocation-Type")).contains("RequestResponse");
        assertThat(request.headers().firstValue("x-amz-security-token")).contains("token-1");
        assertThat(request.headers().firstValue("x-amz-date")).contains("20261123T100000Z");
        assertThat(request.headers().firstValue("Authorization").orElseThrow())
                .startsWith("AWS4-HMAC-SHA256 Credential=test/20261123/eu-west-1/lambda/aws4_request, ")
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type;x-amz-security-token, ")
                .containsPattern("Signature=[0-9a-f]{64}$");
        assertThat(api.name()).isEqualTo("orders-local-cancel-consumer:live");
    }
}
