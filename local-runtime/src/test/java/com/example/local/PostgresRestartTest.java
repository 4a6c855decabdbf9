package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.servers.EmbeddedPostgresServer;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real embedded server, stopped with each shutdown mode and started again: committed data survives, the port is the same. */
class PostgresRestartTest {

    @Test
    void fastAndImmediateShutdownThenRestartKeepCommittedRows() throws Exception {
        try (var server = EmbeddedPostgresServer.startTemporary()) {
            String url = server.jdbcUrl();
            try (var c = DriverManager.getConnection(url, server.username(), server.password()); var s = c.createStatement()) {
                s.execute("create table restart_probe (n int)");
                s.execute("insert into restart_probe values (1)");
            }
            for (var mode : PostgresRestart.Shutdown.values()) {
                var t = PostgresRestart.restart(server.dataDirectory(), mode, Duration.ofMillis(200), url,
                        server.username(), server.password());
                assertThat(t.stopped()).isGreaterThanOrEqualTo(t.stopRequested());
                assertThat(t.accepting()).isGreaterThanOrEqualTo(t.restarted());
                try (var c = DriverManager.getConnection(url, server.username(), server.password());
                        var s = c.createStatement(); var rs = s.executeQuery("select count(*) from restart_probe")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(mode.name()).isEqualTo(1);
                }
            }
        }
    }
}
