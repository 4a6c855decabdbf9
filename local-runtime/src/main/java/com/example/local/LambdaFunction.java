package com.example.local;

/**
 * A Lambda function as its callers see it: JSON event in, JSON result out. Implemented in-process
 * ({@link DeployedFunction}) and over the Lambda Invoke API ({@link LambdaInvokeApi}), so the event source
 * emulations work unchanged against both.
 */
public interface LambdaFunction {

    /** The function's name, as in logs and the Invoke API. */
    String name();

    /**
     * Invokes the function synchronously (RequestResponse).
     *
     * @throws FunctionError when the handler threw (Lambda's {@code X-Amz-Function-Error: Unhandled})
     */
    byte[] invoke(byte[] eventJson) throws FunctionError;

    /** The handler failed; {@code errorJson} is what Lambda returns in that case ({@code errorMessage}, {@code errorType}). */
    final class FunctionError extends Exception {
        private final String errorJson;

        public FunctionError(String message, String errorJson, Throwable cause) {
            super(message, cause);
            this.errorJson = errorJson;
        }

        public String errorJson() {
            return errorJson;
        }
    }
}
