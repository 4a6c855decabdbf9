package com.example.cancel;

import java.sql.SQLException;

/**
 * Recognises a database error caused by the values written rather than by the database's state: SQLSTATE class
 * 22 (data exception, e.g. 22021 invalid byte sequence, 22P05 untranslatable character, 22001 value too long) and
 * class 54 (program limit exceeded, e.g. 54000 "index row size ... exceeds btree version 4 maximum 2704"). Such an
 * error repeats on every retry of the same record, so it is poison, never transient. Classes from the PostgreSQL
 * manual, appendix A "PostgreSQL Error Codes". Connection loss (class 08), lock and serialization failures (40),
 * resource shortage (53), operator intervention (57) and anything without an SQLSTATE stay transient.
 */
final class ContentRejection {

    private ContentRejection() {
    }

    /** The SQLSTATE of the first class 22 or 54 {@link SQLException} in the cause chain, or null if there is none. */
    static String sqlState(Throwable failure) {
        SQLException found = find(failure);
        return found == null ? null : found.getSQLState();
    }

    /** The database's message of that exception, or null. */
    static String message(Throwable failure) {
        SQLException found = find(failure);
        return found == null ? null : found.getMessage();
    }

    private static SQLException find(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && isContentClass(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }

    static boolean isContentClass(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("54"));
    }
}
