package com.example.order.data;

import com.example.order.app.Transactions;
import com.example.outbox.RelayWakeUpOnCommit;
import java.util.Objects;

/**
 * {@link Transactions} whose commits wake the outbox relay when they appended outbox rows and no relay watches the
 * outbox (ADR 0014). The wrapped transactions must append through {@link RelayWakeUpOnCommit#tracking} so the
 * wake-up knows a row was written; the wake-up itself runs after the commit and can never fail the work.
 */
public final class RelayWakingTransactions implements Transactions {

    private final Transactions committing;
    private final RelayWakeUpOnCommit wakeUp;

    public RelayWakingTransactions(Transactions committing, RelayWakeUpOnCommit wakeUp) {
        this.committing = Objects.requireNonNull(committing);
        this.wakeUp = Objects.requireNonNull(wakeUp);
    }

    @Override
    public <T> T inTransaction(TransactionalWork<T> work) {
        return wakeUp.afterCommitOf(() -> committing.inTransaction(work));
    }
}
