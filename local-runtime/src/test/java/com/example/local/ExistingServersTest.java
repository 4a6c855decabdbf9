package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which database the runtime uses, from the environment. */
class ExistingServersTest {

    @Test
    void databaseUrlInTheUsualPostgresFormIsTurnedIntoJdbc() {
        var db = LocalRuntime.externalDatabase(Map.of("DATABASE_URL", "postgres://orders:s3cret@db.example:5433/orders?sslmode=require"));

        assertThat(db).isEqualTo(new LocalRuntime.Database(
                "jdbc:postgresql://db.example:5433/orders?sslmode=require", "orders", "s3cret"));
    }

    @Test
    void jdbcDatabaseUrlOrTheFunctionsOwnVariablesAreTakenAsGiven() {
        assertThat(LocalRuntime.externalDatabase(Map.of("DB_URL", "jdbc:postgresql://h/db", "DB_USERNAME", "u", "DB_PASSWORD", "p")))
                .isEqualTo(new LocalRuntime.Database("jdbc:postgresql://h/db", "u", "p"));
        assertThat(LocalRuntime.externalDatabase(Map.of("DATABASE_URL", "jdbc:postgresql://h/db", "DB_USERNAME", "u")))
                .isEqualTo(new LocalRuntime.Database("jdbc:postgresql://h/db", "u", ""));
    }

    @Test
    void nothingSetMeansEmbedded() {
        assertThat(LocalRuntime.externalDatabase(Map.of())).isNull();
        assertThat(LocalRuntime.externalDatabase(Map.of("DATABASE_URL", " "))).isNull();
    }
}
