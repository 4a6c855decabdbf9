package com.example.order.app;

/**
 * Runs work in one database transaction.
 *
 * <p>Contract: {@link #inTransaction} gives the work a fresh {@link UnitOfWork} bound to one transaction. If the
 * work returns normally the transaction commits before {@code inTransaction} returns; if the work throws anything,
 * the transaction rolls back and the exception propagates unchanged (storage failures surface as
 * {@link StorageException}). Everything done through the unit of work, including outbox and inbox entries, is
 * therefore committed together or not at all. The unit of work must not be used after the work returns.
 * Isolation is the database default (PostgreSQL: READ COMMITTED); use {@link OrderRepository#findForUpdate} to
 * serialise writers of one order.
 */
public interface Transactions {

    <T> T inTransaction(TransactionalWork<T> work);

    /** A piece of work that runs inside a transaction. */
    @FunctionalInterface
    interface TransactionalWork<T> {
        T run(UnitOfWork unitOfWork);
    }
}
