package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The references between Terraform modules that {@code terraform validate} would reject, checked without terraform:
 * <ul>
 *   <li>every {@code var.x} a module uses is a {@code variable "x"} of that module;</li>
 *   <li>every {@code local.x} a module uses is defined in one of its {@code locals} blocks;</li>
 *   <li>every {@code module.m} it uses is a {@code module "m"} block of that module, and every {@code module.m.x}
 *       (also {@code module.m[0].x}, {@code module.m[*].x}) is an {@code output "x"} of m's source;</li>
 *   <li>every argument passed in a {@code module "m"} block is a variable of m's source, and every variable of
 *       m's source without a default is passed;</li>
 *   <li>every local {@code source} ({@code ./...}) points at a directory with .tf files.</li>
 * </ul>
 * Only interpolations ({@code ${...}} in hcl2json's rendering) are scanned, so prose in descriptions never counts.
 */
public final class ModuleWiringCheck {

    private static final Set<String> META_ARGUMENTS = Set.of("source", "version", "count", "for_each", "depends_on", "providers");
    private static final Pattern VAR = Pattern.compile("(?<![\\w.])var\\.([A-Za-z_][\\w-]*)");
    private static final Pattern LOCAL = Pattern.compile("(?<![\\w.])local\\.([A-Za-z_][\\w-]*)");
    private static final Pattern MODULE = Pattern.compile(
            "(?<![\\w.])module\\.([A-Za-z_][\\w-]*)(?:\\[[^\\]]*\\])?(?:\\.([A-Za-z_][\\w-]*))?");

    private ModuleWiringCheck() {
    }

    public static List<String> findings(TerraformFiles terraform) {
        Map<String, ModuleDir> dirs = new TreeMap<>();
        terraform.parsed().forEach((file, json) ->
                dirs.computeIfAbsent(directoryOf(file), ModuleDir::new).add(file, json));

        List<String> findings = new ArrayList<>();
        for (ModuleDir dir : dirs.values()) {
            for (Reference ref : dir.references) {
                switch (ref.kind) {
                    case "var" -> {
                        if (!dir.variables.contains(ref.name)) {
                            findings.add(ref.file + ": var." + ref.name + " is not declared in " + dir.label());
                        }
                    }
                    case "local" -> {
                        if (!dir.locals.contains(ref.name)) {
                            findings.add(ref.file + ": local." + ref.name + " is not defined in " + dir.label());
                        }
                    }
                    default -> {
                        JsonNode call = dir.moduleCalls.get(ref.name);
                        if (call == null) {
                            findings.add(ref.file + ": module." + ref.name + " has no module \"" + ref.name + "\" block in " + dir.label());
                            continue;
                        }
                        ModuleDir target = dirs.get(sourceDir(dir.path, call));
                        if (target != null && ref.attribute != null && !target.outputs.contains(ref.attribute)) {
                            findings.add(ref.file + ": module." + ref.name + "." + ref.attribute + " is not an output of "
                                    + target.label());
                        }
                    }
                }
            }
            dir.moduleCalls.forEach((name, call) -> {
                String source = call.path("source").asText("");
                if (!source.startsWith("./") && !source.startsWith("../")) {
                    return; // registry or git modules are not in this tree
                }
                ModuleDir target = dirs.get(sourceDir(dir.path, call));
                if (target == null) {
                    findings.add(dir.label() + ": module \"" + name + "\" source " + source + " holds no .tf file");
                    return;
                }
                Set<String> passed = new TreeSet<>();
                call.fieldNames().forEachRemaining(passed::add);
                passed.removeAll(META_ARGUMENTS);
                for (String argument : passed) {
                    if (!target.variables.contains(argument)) {
                        findings.add(dir.label() + ": module \"" + name + "\" passes " + argument + ", which "
                                + target.label() + " does not declare");
                    }
                }
                for (String required : target.requiredVariables) {
                    if (!passed.contains(required)) {
                        findings.add(dir.label() + ": module \"" + name + "\" does not pass " + required + ", which "
                                + target.label() + " requires (no default)");
                    }
                }
            });
        }
        return findings;
    }

    /** The module directory of a file path relative to the scanned root ("" for the root module). */
    static String directoryOf(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    private static String sourceDir(String callerDir, JsonNode call) {
        String resolved = Path.of(callerDir.isEmpty() ? "." : callerDir).resolve(call.path("source").asText("")).normalize()
                .toString().replace('\\', '/');
        return resolved.equals(".") ? "" : resolved;
    }

    private record Reference(String file, String kind, String name, String attribute) {
    }

    /** Declarations and references of one directory (one Terraform module). */
    private static final class ModuleDir {
        final String path;
        final Set<String> variables = new TreeSet<>();
        final Set<String> requiredVariables = new TreeSet<>();
        final Set<String> outputs = new TreeSet<>();
        final Set<String> locals = new TreeSet<>();
        final Map<String, JsonNode> moduleCalls = new LinkedHashMap<>();
        final List<Reference> references = new ArrayList<>();

        ModuleDir(String path) {
            this.path = path;
        }

        String label() {
            return path.isEmpty() ? "the root module" : path;
        }

        void add(String file, JsonNode json) {
            forEachNamed(json.path("variable"), (name, body) -> {
                variables.add(name);
                if (!body.has("default")) {
                    requiredVariables.add(name);
                }
            });
            forEachNamed(json.path("output"), (name, body) -> outputs.add(name));
            forEachNamed(json.path("module"), moduleCalls::put);
            for (JsonNode block : json.path("locals")) {
                block.fieldNames().forEachRemaining(locals::add);
            }
            List<String> expressions = new ArrayList<>();
            collectInterpolations(json, expressions);
            for (String expression : expressions) {
                scan(file, expression, VAR, "var");
                scan(file, expression, LOCAL, "local");
                Matcher module = MODULE.matcher(expression);
                while (module.find()) {
                    references.add(new Reference(file, "module", module.group(1), module.group(2)));
                }
            }
        }

        private void scan(String file, String expression, Pattern pattern, String kind) {
            Matcher m = pattern.matcher(expression);
            while (m.find()) {
                references.add(new Reference(file, kind, m.group(1), null));
            }
        }

        private static void forEachNamed(JsonNode byName, java.util.function.BiConsumer<String, JsonNode> action) {
            for (Iterator<Map.Entry<String, JsonNode>> it = byName.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> named = it.next();
                JsonNode body = named.getValue().isArray() ? named.getValue().path(0) : named.getValue();
                action.accept(named.getKey(), body);
            }
        }
    }

    /** Every {@code ${...}} segment of every string in the document (braces balanced, so object literals stay whole). */
    static void collectInterpolations(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            String text = node.asText();
            int start = text.indexOf("${");
            while (start >= 0) {
                int depth = 0;
                int end = start + 1;
                for (; end < text.length(); end++) {
                    char c = text.charAt(end);
                    if (c == '{') {
                        depth++;
                    } else if (c == '}' && --depth == 0) {
                        break;
                    }
                }
                out.add(text.substring(start + 2, Math.min(end, text.length())));
                start = text.indexOf("${", end);
            }
        } else if (node.isContainerNode()) {
            node.forEach(child -> collectInterpolations(child, out));
        }
    }
}
