package com.example.infrachecks;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.example.infrachecks.fixture.GoodHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A miniature repository in a temp dir, shaped like the real one: {@code fn-a/target/fn-a.jar} (the fixture handler
 * classes plus aws-lambda-java-core, like a shaded jar), {@code fn-a/src/main/resources/application.yml} and
 * {@code infra/main.tf}. Tests write a drifted variant of one piece and expect the checks to catch it.
 */
final class FixtureRepository {

    static final String YML = """
            datasources:
              default:
                url: ${DB_URL:`jdbc:postgresql://localhost:5432/orders`}
                username: ${DB_USERNAME:orders}
                password: ${DB_PASSWORD:orders}
            fn-a:
              batch-size: ${FN_A_BATCH_SIZE:100}
              topic: ${TOPIC_ORDER_CREATED:order.created}
              source: ${micronaut.application.name}
            """;

    static final String HANDLER = "com.example.infrachecks.fixture.GoodHandler";
    static final String ARTIFACT = "fn-a/target/fn-a.jar";
    static final String ENVIRONMENT = """
                DB_URL              = var.db_url
                DB_USERNAME         = "orders"
                DB_PASSWORD         = data.aws_secretsmanager_secret_version.db.secret_string
                FN_A_BATCH_SIZE     = tostring(var.batch_size)
                TOPIC_ORDER_CREATED = "order.created"
            """;

    final Path root;

    FixtureRepository(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("fn-a/target"));
        Files.createDirectories(root.resolve("fn-a/src/main/resources"));
        Files.createDirectories(root.resolve("infra"));
        writeYml(YML);
        writeJar(root.resolve(ARTIFACT), true);
        writeTerraform(HANDLER, ARTIFACT, ENVIRONMENT);
    }

    void writeYml(String yml) throws IOException {
        Files.writeString(root.resolve("fn-a/src/main/resources/application.yml"), yml);
    }

    void writeTerraform(String handler, String artifact, String environmentBody) throws IOException {
        Files.writeString(root.resolve("infra/main.tf"), """
                resource "aws_lambda_function" "fn_a" {
                  function_name    = "fn-a"
                  role             = aws_iam_role.fn_a.arn
                  runtime          = "java21"
                  handler          = "%s"
                  filename         = "${var.repo_root}/%s"
                  source_code_hash = filebase64sha256("${var.repo_root}/%s")
                  publish          = true

                  snap_start {
                    apply_on = "PublishedVersions"
                  }

                  environment {
                    variables = {
                %s
                    }
                  }
                }
                """.formatted(handler, artifact, artifact, environmentBody));
    }

    void writeExtraTerraform(String fileName, String text) throws IOException {
        Files.writeString(root.resolve("infra").resolve(fileName), text);
    }

    TerraformFiles parse() throws IOException {
        return TerraformFiles.parse(root.resolve("infra"));
    }

    /** Rebuilds the fixture jar; {@code withYamlParser=false} leaves out snakeyaml like a mis-shaded function jar. */
    void writeJar(Path jar, boolean withYamlParser) throws IOException {
        writeJar(jar, withYamlParser, List.of());
    }

    /** As {@link #writeJar(Path, boolean)}, plus a two-byte entry under each of {@code extraEntries}. */
    void writeJar(Path jar, boolean withYamlParser, List<String> extraEntries) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String extra : extraEntries) {
                out.putNextEntry(new JarEntry(extra));
                out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("application.yml"));
            Files.copy(root.resolve("fn-a/src/main/resources/application.yml"), out);
            out.closeEntry();
            if (withYamlParser) {
                out.putNextEntry(new JarEntry("org/yaml/snakeyaml/Yaml.class"));
                out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
                out.closeEntry();
            }
            Path classes = codeSource(GoodHandler.class);
            Path fixturePackage = classes.resolve("com/example/infrachecks/fixture");
            try (Stream<Path> files = Files.list(fixturePackage)) {
                for (Path classFile : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                    Files.copy(classFile, out);
                    out.closeEntry();
                }
            }
            try (JarFile lambdaCore = new JarFile(codeSource(RequestHandler.class).toFile())) {
                for (Enumeration<JarEntry> entries = lambdaCore.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.isDirectory() || !entry.getName().endsWith(".class")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = lambdaCore.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
