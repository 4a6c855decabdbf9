package com.example.outbox;

import java.sql.SQLException;

/** The relay's claim expired, typically because it stalled past the hold limit; another relay may own the rows now. */
public class ClaimLostException extends SQLException {

    public ClaimLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
