package com.example.order.app;

import com.example.order.domain.Money;
import com.example.order.domain.OrderDraft;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over a canonical form of a valid create request, so that "the same request" means the same order
 * content: JSON whitespace, field order, unknown fields and {@code 10.5} vs {@code 10.50} do not matter; item
 * order does.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    /** @param draft a draft that passed {@code OrderRules} (no nulls) */
    public static String of(OrderDraft draft) {
        var canonical = new StringBuilder("v1|customer=").append(draft.customerId());
        for (OrderDraft.Line line : draft.items()) {
            canonical.append("|item=").append(line.productId())
                    .append(',').append(line.quantity())
                    .append(',').append(Money.of(line.unitPrice()).toPlainString());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
