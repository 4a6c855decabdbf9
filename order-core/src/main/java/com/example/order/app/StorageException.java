package com.example.order.app;

/** The database failed (connection lost, constraint violated, ...). The transaction has been or must be rolled back. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
