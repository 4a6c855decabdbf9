import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what a function's init builds: constructs the handler as Lambda does (no-arg constructor, so the whole
 * init phase, eager singletons included) and prints the context's active bean registrations, those of
 * micronaut-flyway and Flyway listed. Run it with the deployable jar on the class path, and count the classes the
 * init loaded from the same JVM's {@code -Xlog:class+load} output, e.g.:
 *
 * <pre>
 * java -Xlog:class+load:file=classes.txt -cp create-order-fn/target/create-order-fn.jar \
 *     bench/context-census/ContextCensus.java com.example.createorder.CreateOrderFunction
 * awk '/ContextCensus source/{on=1;next} /ContextCensus\$InitDone/{on=0} on' classes.txt > init.txt
 * wc -l &lt; init.txt; grep -ci flyway init.txt
 * </pre>
 *
 * The lines between this class's own load and {@code ContextCensus$InitDone} are the classes the handler's
 * construction loaded (the source launcher's compiler classes come before, this program's counting after).
 *
 * The pool connects lazily (initialization-fail-timeout -1), so no database is needed. Never deployed; a single
 * source file so it runs against any jar without a build.
 */
public class ContextCensus {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp <function jar> ContextCensus.java <handler class>");
            System.exit(2);
        }
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        InitDone.mark();
        var context = (ApplicationContext) handler.getClass().getMethod("getApplicationContext").invoke(handler);
        Collection<BeanRegistration<Object>> active = context.getActiveBeanRegistrations(Object.class);
        Map<String, Integer> flyway = new TreeMap<>();
        for (BeanRegistration<Object> registration : active) {
            String type = registration.getBeanDefinition().getBeanType().getName();
            if (type.toLowerCase().contains("flyway")) {
                flyway.merge(type, 1, Integer::sum);
            }
        }
        System.out.println("handler: " + args[0]);
        System.out.println("active bean registrations (singletons built by init): " + active.size());
        System.out.println("of which micronaut-flyway/Flyway: " + flyway.values().stream().mapToInt(Integer::intValue).sum()
                + " " + flyway);
        System.out.println("bean definitions of micronaut-flyway/Flyway types known to the context: "
                + context.getAllBeanDefinitions().stream()
                        .filter(d -> d.getBeanType().getName().toLowerCase().contains("flyway")).count());
        ((AutoCloseable) handler).close();
    }

    /** Loaded right after the handler's construction: its line in the class-load log ends the init's classes. */
    private static final class InitDone {
        static void mark() {
        }
    }
}
