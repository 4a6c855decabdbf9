package com.example.order.app;

import java.util.Objects;

/**
 * What the inbox made of a received message ({@link UnitOfWork#receive}): only {@link First} may be applied.
 */
public sealed interface Delivery {

    /** The message's key was not recorded before: apply it. */
    record First() implements Delivery {
    }

    /**
     * The key was recorded before: skip the message.
     *
     * @param verified true if the recorded content equals this one (a redelivery); false if the entry predates
     *                 content fingerprints, so the contents could not be compared (ADR 0027)
     */
    record Duplicate(boolean verified) implements Delivery {
    }

    /**
     * The key was recorded before with other content: a different message reusing the identity. Never apply it;
     * dead-letter it under {@code conflictKey}, which the inbox recorded for it in this transaction (so its own
     * redeliveries are duplicates).
     */
    record KeyReused(String conflictKey) implements Delivery {
        public KeyReused {
            Objects.requireNonNull(conflictKey, "conflictKey");
        }
    }
}
