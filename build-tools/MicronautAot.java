import io.micronaut.aot.MicronautAotOptimizer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Runs Micronaut AOT (ADR 0052) on one function module, as the micronaut-maven-plugin's {@code aot-analysis} goal
 * does, and adds the result to its deployable (shaded) jar only. target/classes and the module's plain jar keep what
 * was compiled: the generated {@code ApplicationContextConfigurer} would otherwise apply this function's build-time
 * bean list to every application context in a test or a module that has the function on its class path.
 *
 * <p>Why our own launcher: the plugin's goal starts {@code io.micronaut.aot.cli.Main} from
 * {@code io.micronaut.aot:micronaut-aot-cli}, which the Maven repository this project builds from does not serve;
 * {@code micronaut-aot-api}'s {@link MicronautAotOptimizer#execute(Properties)} is the same optimizer without the
 * command line. This file is a Java single-file program ({@code java -cp <class path> MicronautAot.java ...}), run by
 * exec-maven-plugin in the parent POM's {@code micronaut-aot} profile; it is never part of a jar.
 *
 * <p>Arguments: the module's {@code aot.properties}, its deployable jar (changed in place), and a work directory.
 * The analysed class path is this JVM's: the module's runtime class path plus the AOT optimizers. The default
 * {@code known.missing.types.list} is micronaut-maven-plugin 4.11.6's; {@code service.types} is micronaut-aot's own.
 * What the optimizer decided is in target/aot/logs (e.g. serviceloading.log: every bean left out, and why).
 */
public final class MicronautAot {

    static final String PACKAGE = "com.example.aot";

    static final List<String> TYPES_TO_CHECK = List.of("io.reactivex.Observable", "reactor.core.publisher.Flux",
            "kotlinx.coroutines.flow.Flow", "io.reactivex.rxjava3.core.Flowable", "io.reactivex.rxjava3.core.Observable",
            "io.reactivex.Single", "reactor.core.publisher.Mono", "io.reactivex.Maybe", "io.reactivex.rxjava3.core.Single",
            "io.reactivex.rxjava3.core.Maybe", "io.reactivex.Completable", "io.reactivex.rxjava3.core.Completable",
            "io.methvin.watchservice.MacOSXListeningWatchService", "io.micronaut.core.async.publisher.CompletableFuturePublisher",
            "io.micronaut.core.async.publisher.Publishers.JustPublisher", "io.micronaut.core.async.subscriber.Completable");

    /**
     * micronaut-aot 2.9.0's own default (its {@code AbstractStaticServiceLoaderSourceGenerator}); the optimizer only
     * applies it through its command line, so without it the generated service list would be empty.
     */
    static final List<String> SERVICE_TYPES = List.of("io.micronaut.context.env.PropertySourceLoader",
            "io.micronaut.inject.BeanConfiguration", "io.micronaut.inject.BeanDefinitionReference",
            "io.micronaut.http.HttpRequestFactory", "io.micronaut.http.HttpResponseFactory",
            "io.micronaut.core.beans.BeanIntrospectionReference", "io.micronaut.core.convert.TypeConverterRegistrar",
            "io.micronaut.context.env.PropertyExpressionResolver");

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java -cp <runtime class path + micronaut-aot> MicronautAot.java <aot.properties> <deployable jar> <work dir>");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        Path work = Path.of(args[2]);
        deleteRecursively(work);
        var props = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            props.load(in);
        }
        props.putIfAbsent("known.missing.types.list", String.join(",", TYPES_TO_CHECK));
        props.putIfAbsent("service.types", String.join(",", SERVICE_TYPES));
        props.put("package", PACKAGE);
        props.put("runtime", "jit");
        props.put("output.directory", work.toAbsolutePath().toString());
        props.put("classpath", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(Collectors.joining(",")));
        MicronautAotOptimizer.execute(props);
        int rewritten = oneLambdaPerPreload(work);

        // Generated classes (and their service files) into the jar; resources the optimizer turned into code
        // (logback.xml) out of it, so they are not read a second time at run time.
        Path generated = work.resolve("classes");
        int added = 0;
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toAbsolutePath().toUri()), Map.of());
             Stream<Path> files = Files.walk(generated)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = zip.getPath(generated.relativize(file).toString().replace(File.separatorChar, '/'));
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                if (Files.exists(target) && target.toString().startsWith("META-INF/services/")) {
                    throw new IllegalStateException(jar + " already has " + target + "; merging service files is not supported");
                }
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                added++;
            }
            Path filter = work.resolve("logs").resolve(MicronautAotOptimizer.OUTPUT_RESOURCES_FILE_NAME);
            if (Files.exists(filter)) {
                for (String resource : Files.readAllLines(filter)) {
                    if (!resource.isBlank()) {
                        Files.deleteIfExists(zip.getPath(resource.trim()));
                    }
                }
            }
        }
        System.out.println("Micronaut AOT: " + added + " generated files added to " + jar + ", now " + Files.size(jar)
                + " bytes (" + rewritten + " service loaders preload through one lambda)");
    }

    /** One line of a generated service loader's static initializer: preload one class on the common pool. */
    static final Pattern PRELOAD = Pattern.compile("^\\s*pool\\.submit\\(\\(\\) -> loadClass\\(cl, (\"[^\"]+\")\\)\\);$",
            Pattern.MULTILINE);

    /**
     * micronaut-aot's JIT service loaders ({@code serviceloading.jit}) preload every listed class on the common
     * ForkJoinPool with one {@code pool.submit(() -> loadClass(cl, "<name>"))} statement per class. Each statement is
     * its own lambda call site, and the JVM spins one hidden class per call site at init: about 500 for create-order
     * (ADR 0053), for nothing but a class name. This rewrites each such run of statements into one loop over the same
     * names in the same order (one lambda class) and recompiles the file into the optimizer's output; what is
     * preloaded, and on which pool, does not change. micronaut-aot 2.9.0 has no option for it.
     *
     * @return how many generated sources were rewritten
     */
    static int oneLambdaPerPreload(Path work) throws IOException {
        Path sources = work.resolve("sources");
        if (!Files.isDirectory(sources)) {
            return 0;
        }
        List<Path> rewritten = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                Matcher m = PRELOAD.matcher(code);
                List<String> names = new ArrayList<>();
                int first = -1;
                int last = -1;
                while (m.find()) {
                    if (first >= 0 && !code.substring(last, m.start()).isBlank()) {
                        throw new IllegalStateException(file + ": preload statements are not one run; micronaut-aot changed?");
                    }
                    first = first < 0 ? m.start() : first;
                    last = m.end();
                    names.add(m.group(1));
                }
                if (names.size() < 2) {
                    continue;
                }
                String loop = "    for (String name : new String[] {\n      " + String.join(",\n      ", names)
                        + "\n    }) {\n      pool.submit(() -> loadClass(cl, name));\n    }";
                Files.writeString(file, code.substring(0, first) + loop + code.substring(last));
                rewritten.add(file);
            }
        }
        if (!rewritten.isEmpty()) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            var args = new ArrayList<>(List.of("-proc:none", "-nowarn", "--release", "21", "-d",
                    work.resolve("classes").toString(), "-cp",
                    work.resolve("classes") + File.pathSeparator + System.getProperty("java.class.path")));
            rewritten.forEach(f -> args.add(f.toString()));
            if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("recompiling " + rewritten + " failed");
            }
        }
        return rewritten.size();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
