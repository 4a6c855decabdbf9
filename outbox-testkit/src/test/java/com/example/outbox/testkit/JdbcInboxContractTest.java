package com.example.outbox.testkit;

import com.example.outbox.Inbox;
import com.example.outbox.jdbc.JdbcInbox;

/** {@link JdbcInbox} passes the inbox contract. */
class JdbcInboxContractTest extends InboxContract {

    @Override
    protected Inbox inbox() {
        return new JdbcInbox();
    }
}
