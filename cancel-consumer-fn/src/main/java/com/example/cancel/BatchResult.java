package com.example.cancel;

/** The response for Lambda and the counts behind it. */
public record BatchResult(KafkaBatchResponse response, BatchCounts counts) {
}
