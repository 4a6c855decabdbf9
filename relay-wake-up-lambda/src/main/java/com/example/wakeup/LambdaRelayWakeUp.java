package com.example.wakeup;

import com.example.outbox.RelayWakeUp;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@link RelayWakeUp} as an asynchronous Lambda invoke ({@code InvocationType=Event}) of the relay, normally its
 * {@code live} alias ARN. Lambda answers 202 once it has queued the event; it retries a failed asynchronous
 * invocation itself (twice by default) and keeps the event for up to 6 hours, so this client does not retry: a lost
 * wake-up is covered by the next commit's wake-up or by the schedule.
 *
 * <p>The client is configured the way AWS advises for the SDK on Lambda ("Reduce SDK startup time for AWS Lambda",
 * AWS SDK for Java 2.x developer guide): HTTP through {@code url-connection-client}, the JDK's HttpURLConnection,
 * which loads far fewer classes than the Netty or Apache clients; the region given explicitly ({@code aws.region} or
 * {@code AWS_REGION}, which Lambda sets), so the SDK's region chain does not run; and an explicit, short credentials
 * chain instead of the default one (which also looks at web identity, profile files and the instance metadata
 * service): {@link #credentials()}. The endpoint still comes from the SDK's standard settings
 * ({@code AWS_ENDPOINT_URL_LAMBDA} or {@code AWS_ENDPOINT_URL}, which the local runtime sets to its own Invoke API).
 * Measured (ADR 0053): 35 fewer SDK classes and about 80 ms less CPU on the first wake-up after a cold start.
 *
 * <p>The payload is {@code {"source":"relay-wake-up","sentBy":"<name>"}}; the relay reads {@code source} to pick its
 * idle limit.
 */
public final class LambdaRelayWakeUp implements RelayWakeUp, AutoCloseable {

    /** The {@code source} the relay recognises as a wake-up. */
    public static final String SOURCE = "relay-wake-up";

    private static final JsonFactory JSON = new JsonFactory();

    private final String functionArn;
    private final SdkBytes payload;
    private final CompletableFuture<LambdaClient> client;

    /**
     * Starts building the SDK client on a background daemon thread (about a few hundred ms of class loading), so
     * neither the function's init nor its first request waits for it.
     *
     * @param functionArn the relay function's ARN or name, with its qualifier ({@code …:function:orders-outbox-relay:live})
     * @param sentBy      who sends it, for the relay's logs (e.g. {@code create-order})
     * @param timeout     bound of one invoke: connection, read and whole call
     */
    public LambdaRelayWakeUp(String functionArn, String sentBy, Duration timeout) {
        this.functionArn = requireText(functionArn, "functionArn");
        this.payload = SdkBytes.fromByteArray(payload(requireText(sentBy, "sentBy")));
        Objects.requireNonNull(timeout);
        this.client = new CompletableFuture<>();
        Thread.ofPlatform().name("relay-wake-up-client").daemon().start(() -> {
            try {
                client.complete(buildClient(timeout));
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
    }

    /**
     * The invoke payload, written with Jackson's streaming generator like every JSON this project writes itself
     * (docs/adr/0019-json-one-way-per-job.md). {@code sentBy} is reduced to {@code [A-Za-z0-9._-]} so the relay's
     * logs show a plain name.
     */
    static byte[] payload(String sentBy) {
        var out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("source", SOURCE);
            json.writeStringField("sentBy", sentBy.replaceAll("[^A-Za-z0-9._-]", "_"));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    static LambdaClient buildClient(Duration timeout) {
        LambdaClientBuilder builder = LambdaClient.builder()
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)
                        .retryStrategy(b -> b.maxAttempts(1)));
        // Unset (never on Lambda): the SDK's own region chain, which then fails with its usual message.
        SdkSystemSetting.AWS_REGION.getStringValue().map(Region::of).ifPresent(builder::region);
        return builder.build();
    }

    /**
     * Where the function's role credentials are, in the order tried (the first that has them is kept):
     * <ol>
     *   <li>{@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}: a Lambda function
     *       without SnapStart;</li>
     *   <li>the {@code aws.accessKeyId}/... system properties: the local runtime and the tests, which run the
     *       functions inside one JVM and cannot set environment variables;</li>
     *   <li>the container credentials endpoint ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} with
     *       {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}): a function restored from a SnapStart snapshot, where Lambda's
     *       Java runtime provides the credentials this way instead of the access-key variables (Lambda developer
     *       guide, "Activating and managing Lambda SnapStart", section "Using SnapStart with AWS SDKs"). Terraform
     *       enables SnapStart by default, so leaving this out would break every wake-up there.</li>
     * </ol>
     * Nothing is resolved here: the first invoke asks the chain.
     */
    static AwsCredentialsProvider credentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(),
                        SystemPropertyCredentialsProvider.create(), ContainerCredentialsProvider.create())
                .build();
    }

    @Override
    public void wakeUp() throws Exception {
        InvokeResponse response = client.join().invoke(InvokeRequest.builder()
                .functionName(functionArn)
                .invocationType(InvocationType.EVENT)
                .payload(payload)
                .build());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Lambda answered " + response.statusCode() + " to an Event invoke of " + functionArn);
        }
    }

    public String functionArn() {
        return functionArn;
    }

    @Override
    public void close() {
        client.thenAccept(LambdaClient::close);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
