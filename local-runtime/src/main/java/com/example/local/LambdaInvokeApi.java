package com.example.local;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * A deployed function reached through the Lambda Invoke API (RequestResponse) with the AWS SDK for Java v2: region,
 * credentials and endpoint from the SDK's standard chains ({@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}/…,
 * {@code AWS_ENDPOINT_URL_LAMBDA} or {@code AWS_ENDPOINT_URL}), unless an endpoint is given explicitly.
 * {@code functionName} may carry a qualifier ({@code name:live}) or be an ARN.
 */
public final class LambdaInvokeApi implements LambdaFunction, AutoCloseable {

    private final String functionName;
    private final LambdaClient client;

    LambdaInvokeApi(String functionName, LambdaClient client) {
        this.functionName = functionName;
        this.client = client;
    }

    /**
     * @param endpoint an explicit endpoint (e.g. {@code http://localstack:4566}), or {@code null} for the SDK's own
     *                 resolution (which honours {@code AWS_ENDPOINT_URL_LAMBDA} and {@code AWS_ENDPOINT_URL})
     */
    public static LambdaInvokeApi create(String endpoint, String functionName) {
        LambdaClientBuilder builder = LambdaClient.builder()
                // An event source mapping's batch may run up to the function's 15-minute maximum.
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(16)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(16)));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return new LambdaInvokeApi(functionName, builder.build());
    }

    @Override
    public String name() {
        return functionName;
    }

    @Override
    public byte[] invoke(byte[] eventJson) throws FunctionError {
        InvokeResponse response = client.invoke(InvokeRequest.builder()
                .functionName(functionName)
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .payload(SdkBytes.fromByteArray(eventJson))
                .build());
        byte[] body = response.payload() == null ? new byte[0] : response.payload().asByteArray();
        if (response.functionError() != null) {
            throw new FunctionError(functionName + " failed (" + response.functionError() + ")",
                    new String(body, java.nio.charset.StandardCharsets.UTF_8), null);
        }
        return body;
    }

    @Override
    public void close() {
        client.close();
    }
}
