package com.example.order.data;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Maps an {@link Instant} to a {@code timestamptz} column exactly, for every instant from year 1 to 9999, by passing
 * it as ISO-8601 text that PostgreSQL converts itself.
 *
 * <p>Why not Micronaut Data's default for {@code Instant}: it binds and reads {@link java.sql.Timestamp}, which pgjdbc
 * converts with the hybrid Julian/Gregorian calendar, so an instant before 1582-10-15 (a cancellation's
 * {@code occurredAt} may be as early as year 1) is stored days off, e.g. 0001-01-01T00:00Z as 0001-01-03, and read
 * back shifted. Text avoids {@code Timestamp} both ways: the property writes {@link #WRITE} ({@code ?::timestamptz})
 * and reads {@link #READ_START}{@code column}{@link #READ_END} (UTC wall time), both in PostgreSQL's proleptic
 * Gregorian calendar, like {@link Instant}.
 */
@Singleton
public final class InstantColumn implements AttributeConverter<Instant, String> {

    /** {@code @ColumnTransformer(write = ...)}: the ISO text cast by PostgreSQL. */
    static final String WRITE = "?::timestamptz";
    /** {@code @ColumnTransformer(read = READ_START + "<alias>.<column>" + READ_END)}: UTC wall time, microseconds. */
    static final String READ_START = "to_char(";
    static final String READ_END = " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')";

    @Override
    public String convertToPersistedValue(Instant instant, ConversionContext context) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public Instant convertToEntityValue(String persisted, ConversionContext context) {
        return persisted == null ? null : LocalDateTime.parse(persisted).toInstant(ZoneOffset.UTC);
    }
}
