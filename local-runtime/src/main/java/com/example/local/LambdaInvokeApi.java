package com.example.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A deployed function reached through the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations},
 * RequestResponse), signed with SigV4: the JDK HTTP client instead of the AWS SDK, since only this one call is needed.
 * {@code functionName} may carry a qualifier ({@code name:live}); it is sent as {@code ?Qualifier=live}.
 */
public final class LambdaInvokeApi implements LambdaFunction {

    private final URI endpoint;
    private final String functionName;
    private final String qualifier;
    private final String region;
    private final SigV4.Credentials credentials;
    private final HttpClient http;
    private final Clock clock;

    public LambdaInvokeApi(URI endpoint, String functionName, String region, SigV4.Credentials credentials, Clock clock) {
        this.endpoint = endpoint;
        int colon = functionName.indexOf(':');
        boolean arn = functionName.startsWith("arn:");
        this.functionName = arn || colon < 0 ? functionName : functionName.substring(0, colon);
        this.qualifier = arn || colon < 0 ? null : functionName.substring(colon + 1);
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Endpoint, region and credentials from the usual AWS variables (AWS_REGION, AWS_ACCESS_KEY_ID, ...). */
    public static LambdaInvokeApi fromEnvironment(String endpoint, String functionName, Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        String resolved = endpoint != null ? endpoint
                : env.getOrDefault("AWS_ENDPOINT_URL_LAMBDA", env.getOrDefault("AWS_ENDPOINT_URL",
                        "https://lambda." + region + ".amazonaws.com"));
        var credentials = new SigV4.Credentials(env.getOrDefault("AWS_ACCESS_KEY_ID", "test"),
                env.getOrDefault("AWS_SECRET_ACCESS_KEY", "test"), env.get("AWS_SESSION_TOKEN"));
        return new LambdaInvokeApi(URI.create(resolved), functionName, region, credentials, Clock.systemUTC());
    }

    @Override
    public String name() {
        return qualifier == null ? functionName : functionName + ":" + qualifier;
    }

    /** The signed request, without sending it (what the unit test checks). */
    HttpRequest request(byte[] payload) {
        String path = "/2015-03-31/functions/" + functionName + "/invocations";
        String query = qualifier == null ? "" : "Qualifier=" + qualifier;
        String base = endpoint.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
        String host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        Map<String, String> auth = SigV4.sign("POST", canonicalPath(path), query,
                Map.of("host", host, "x-amz-invocation-type", "RequestResponse", "content-type", "application/json"),
                payload, region, "lambda", credentials, clock.instant());
        var builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(16))
                .header("Content-Type", "application/json")
                .header("X-Amz-Invocation-Type", "RequestResponse")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        auth.forEach(builder::header);
        return builder.build();
    }

    /** SigV4 (non-S3) encodes each path segment once more; ARNs contain ':' which becomes %253A. */
    private static String canonicalPath(String path) {
        return path.replace("%", "%25").replace(":", "%253A");
    }

    @Override
    public byte[] invoke(byte[] eventJson) throws FunctionError {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request(eventJson), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("Invoke " + name() + " at " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Invoke " + name() + " answered " + response.statusCode() + ": " + body);
        }
        if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
            throw new FunctionError(name() + " failed", body, null);
        }
        return response.body();
    }
}
