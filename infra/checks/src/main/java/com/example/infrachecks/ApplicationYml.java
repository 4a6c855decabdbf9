package com.example.infrachecks;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a function reads: the {@code ${ENV_VAR}} / {@code ${ENV_VAR:default}} placeholders in its
 * {@code application.yml} (the team rule makes that file the only place env vars are read). Upper-case names only:
 * {@code ${micronaut.some.property}} is a property reference, not an environment variable.
 */
public final class ApplicationYml {

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?=[:}])");

    private ApplicationYml() {
    }

    public static Set<String> environmentVariables(Path yml) throws IOException {
        String text = Files.readString(yml);
        // Parse first so a broken yml fails loudly instead of silently yielding fewer placeholders.
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Set<String> names = new TreeSet<>();
        for (Object document : yaml.loadAll(text)) {
            collect(document, names);
        }
        return names;
    }

    private static void collect(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                collect(k, names);
                collect(v, names);
            });
        } else if (node instanceof Collection<?> list) {
            list.forEach(item -> collect(item, names));
        } else if (node instanceof String s) {
            Matcher m = ENV_PLACEHOLDER.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
    }
}
