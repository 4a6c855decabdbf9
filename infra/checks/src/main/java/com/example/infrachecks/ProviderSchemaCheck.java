package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code terraform validate} would reject against the provider's schema, checked without terraform
 * ({@link ProviderSchema}). For every {@code resource} and {@code data} block:
 * <ul>
 *   <li>its type is in the schema;</li>
 *   <li>every argument and nested block (also inside {@code dynamic} blocks' {@code content}) is one of its type;</li>
 *   <li>every required argument and required nested block is present;</li>
 *   <li>a nested block is written as a block ({@code x { }}), not as an argument ({@code x = ...}), and an argument
 *       not as a block; a block that allows one instance appears at most once;</li>
 *   <li>an exported-only attribute ({@code arn}) is not set.</li>
 * </ul>
 * The same for every {@code provider "aws" { }} block, and a {@code lifecycle} block holds only Terraform's
 * lifecycle arguments, its {@code ignore_changes} naming arguments or blocks of the type.
 * And every reference {@code type.name.attr} / {@code data.type.name.attr} (also with {@code [i]} or {@code [*]})
 * names a block declared in the same module and an attribute its type exports.
 * <p>
 * Whether a name is written as a block or as an argument comes from the file's {@link HclOutline}: hcl2json renders
 * {@code x { }} and {@code x = [{...}]} alike.
 * The other meta-arguments ({@code count}, {@code for_each}, {@code depends_on}, {@code provider},
 * {@code provisioner}, {@code connection}) are Terraform's, not the provider's, and are left alone.
 */
public final class ProviderSchemaCheck {

    private static final Set<String> RESOURCE_META = Set.of("count", "for_each", "depends_on", "provider", "lifecycle",
            "provisioner", "connection");
    private static final Set<String> DATA_META = Set.of("count", "for_each", "depends_on", "provider", "lifecycle");
    private static final Set<String> PROVIDER_META = Set.of("alias", "version");
    private static final Set<String> LIFECYCLE = Set.of("create_before_destroy", "prevent_destroy", "ignore_changes",
            "replace_triggered_by", "precondition", "postcondition");
    private static final Pattern IGNORED = Pattern.compile("^\\$\\{([A-Za-z_][\\w-]*)[^}]*}$");
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<![\\w.])(data\\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\\.([A-Za-z_][\\w-]*)(?:\\[[^\\]]*\\])?(?:\\.([A-Za-z_][\\w-]*))?");

    private ProviderSchemaCheck() {
    }

    public static List<String> findings(TerraformFiles terraform, ProviderSchema schema) {
        List<String> findings = new ArrayList<>();
        Map<String, Set<String>> declaredByDir = new TreeMap<>();
        terraform.parsed().forEach((file, json) -> {
            Set<String> declared = declaredByDir.computeIfAbsent(ModuleWiringCheck.directoryOf(file), d -> new HashSet<>());
            forEachBlock(json.path("resource"), (type, name) -> declared.add(type + "." + name));
            forEachBlock(json.path("data"), (type, name) -> declared.add("data." + type + "." + name));
        });
        terraform.parsed().forEach((file, json) -> {
            List<HclOutline.Item> outline;
            try {
                outline = HclOutline.parse(Files.readString(terraform.dir().resolve(file)));
            } catch (IOException | IllegalArgumentException e) {
                findings.add(file + ": cannot tell blocks from arguments (" + e.getMessage() + ")");
                return;
            }
            checkBlocks(file, json.path("resource"), outline, "resource", schema.resources(), RESOURCE_META, schema, findings);
            checkBlocks(file, json.path("data"), outline, "data", schema.dataSources(), DATA_META, schema, findings);
            checkProviders(file, json.path("provider"), outline, schema, findings);
            checkReferences(file, json, declaredByDir.get(ModuleWiringCheck.directoryOf(file)), schema, findings);
        });
        return findings;
    }

    private static void checkBlocks(String file, JsonNode byType, List<HclOutline.Item> outline, String kind,
                                    Map<String, ProviderSchema.TypeSchema> types, Set<String> meta, ProviderSchema schema,
                                    List<String> findings) {
        for (Iterator<Map.Entry<String, JsonNode>> t = byType.fields(); t.hasNext(); ) {
            Map.Entry<String, JsonNode> type = t.next();
            ProviderSchema.TypeSchema typeSchema = types.get(type.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> n = type.getValue().fields(); n.hasNext(); ) {
                Map.Entry<String, JsonNode> named = n.next();
                List<HclOutline.Block> written = HclOutline.blocksIn(outline, kind).stream()
                        .filter(b -> b.labels().equals(List.of(type.getKey(), named.getKey()))).toList();
                String where = file + ":" + (written.isEmpty() ? "" : written.get(0).line() + ":") + " " + kind + " \""
                        + type.getKey() + "\" \"" + named.getKey() + "\"";
                if (typeSchema == null) {
                    findings.add(where + ": " + type.getKey() + " is not a " + kind + " type of "
                            + schema.providerOf(type.getKey()).map(p -> schema.providers().get(p)).orElse("any provider in the schema")
                            + " (" + ProviderSchema.RESOURCE + " holds the types in use; if the type is real, regenerate it: "
                            + "npm run extract-provider-schema)");
                    continue;
                }
                int i = 0;
                for (JsonNode body : named.getValue()) {
                    checkBody(where, body, itemsOf(written, i++), typeSchema.body(), meta, typeSchema.exported(), findings);
                }
            }
        }
    }

    /**
     * One block body against its schema; {@code meta} and {@code exported} only apply at the top level.
     * {@code written} is the body's outline, or null where it cannot be matched (then hcl2json's rendering decides).
     */
    private static void checkBody(String where, JsonNode body, List<HclOutline.Item> written, ProviderSchema.Block schema,
                                  Set<String> meta, Set<String> exported, List<String> findings) {
        Set<String> present = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("lifecycle") && meta.contains(name)) {
                checkLifecycle(where, value, schema, findings);
                continue;
            }
            if (meta.contains(name)) {
                continue;
            }
            if (name.equals("dynamic")) {
                checkDynamic(where, value, written, schema, findings, present);
                continue;
            }
            present.add(name);
            boolean blockForm = writtenAsBlock(written, name, value);
            ProviderSchema.Block nested = schema.blocks().get(name);
            if (nested != null) {
                if (!blockForm) {
                    findings.add(where + ": " + name + " is a nested block, written as an argument (" + name
                            + " = ...); write " + name + " { ... } or a dynamic \"" + name + "\" block");
                    continue;
                }
                if (nested.maxOne() && value.size() > 1) {
                    findings.add(where + ": " + name + " is written " + value.size() + " times; the provider allows one");
                }
                List<HclOutline.Block> blocks = written == null ? List.of() : HclOutline.blocksIn(written, name);
                int i = 0;
                for (JsonNode element : value) {
                    checkBody(where + " > " + name, element, itemsOf(blocks, i++), nested, Set.of(), Set.of(), findings);
                }
            } else if (schema.arguments().containsKey(name)) {
                if (blockForm && (written != null || !schema.objectArguments().contains(name))) {
                    findings.add(where + ": " + name + " is an argument, written as a block (" + name + " { ... }); write "
                            + name + " = ...");
                }
            } else if (exported.contains(name)) {
                findings.add(where + ": " + name + " is exported only (computed by the provider); it cannot be set");
            } else {
                findings.add(where + ": " + name + " is not an argument or nested block of this type");
            }
        }
        schema.arguments().forEach((name, required) -> {
            if (required && !present.contains(name)) {
                findings.add(where + ": required argument " + name + " is missing");
            }
        });
        schema.blocks().forEach((name, nested) -> {
            if (nested.required() && !present.contains(name)) {
                findings.add(where + ": required block " + name + " { ... } is missing");
            }
        });
    }

    private static void checkProviders(String file, JsonNode byName, List<HclOutline.Item> outline, ProviderSchema schema,
                                       List<String> findings) {
        for (Iterator<Map.Entry<String, JsonNode>> it = byName.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> provider = it.next();
            ProviderSchema.Block block = schema.providerBlocks().get(provider.getKey());
            if (block == null) {
                findings.add(file + ": provider \"" + provider.getKey() + "\" is not in " + ProviderSchema.RESOURCE
                        + " (regenerate it: npm run extract-provider-schema)");
                continue;
            }
            List<HclOutline.Block> written = HclOutline.blocksIn(outline, "provider").stream()
                    .filter(b -> b.labels().equals(List.of(provider.getKey()))).toList();
            int i = 0;
            for (JsonNode body : provider.getValue()) {
                String where = file + ":" + (i < written.size() ? written.get(i).line() + ":" : "") + " provider \""
                        + provider.getKey() + "\"";
                checkBody(where, body, itemsOf(written, i++), block, PROVIDER_META, Set.of(), findings);
            }
        }
    }

    private static void checkLifecycle(String where, JsonNode lifecycle, ProviderSchema.Block schema, List<String> findings) {
        for (JsonNode body : lifecycle) {
            body.fieldNames().forEachRemaining(name -> {
                if (!LIFECYCLE.contains(name)) {
                    findings.add(where + " > lifecycle: " + name + " is not a lifecycle argument");
                }
            });
            JsonNode ignored = body.path("ignore_changes");
            for (JsonNode entry : ignored.isArray() ? ignored : List.<JsonNode>of()) {
                Matcher m = IGNORED.matcher(entry.asText());
                if (m.matches() && !m.group(1).equals("all") && !schema.arguments().containsKey(m.group(1)) && !schema.blocks().containsKey(m.group(1))) {
                    findings.add(where + " > lifecycle: ignore_changes names " + m.group(1)
                            + ", which is not an argument or nested block of this type");
                }
            }
        }
    }

    /** {@code dynamic "x" { for_each = ..., content { ... } }}: x must be a nested block; content is checked as one. */
    private static void checkDynamic(String where, JsonNode byName, List<HclOutline.Item> written, ProviderSchema.Block schema,
                                     List<String> findings, Set<String> present) {
        for (Iterator<Map.Entry<String, JsonNode>> it = byName.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> dynamic = it.next();
            String name = dynamic.getKey();
            present.add(name);
            ProviderSchema.Block nested = schema.blocks().get(name);
            if (nested == null) {
                findings.add(where + ": dynamic \"" + name + "\": " + name
                        + (schema.arguments().containsKey(name) ? " is an argument; dynamic generates nested blocks only"
                        : " is not a nested block of this type"));
                continue;
            }
            List<HclOutline.Block> generators = written == null ? List.of() : HclOutline.blocksIn(written, "dynamic").stream()
                    .filter(b -> b.labels().equals(List.of(name))).toList();
            int i = 0;
            for (JsonNode generator : dynamic.getValue()) {
                List<HclOutline.Item> generatorBody = itemsOf(generators, i++);
                List<HclOutline.Block> contents = generatorBody == null ? List.of() : HclOutline.blocksIn(generatorBody, "content");
                for (JsonNode content : generator.path("content")) {
                    checkBody(where + " > dynamic " + name, content, itemsOf(contents, 0), nested, Set.of(), Set.of(), findings);
                }
            }
        }
    }

    /** From the outline where there is one; else hcl2json's rendering: an array of objects is the block form. */
    private static boolean writtenAsBlock(List<HclOutline.Item> written, String name, JsonNode value) {
        if (written != null) {
            for (HclOutline.Item item : written) {
                if (item.name().equals(name)) {
                    return item instanceof HclOutline.Block;
                }
            }
        }
        return isBlockForm(value);
    }

    private static List<HclOutline.Item> itemsOf(List<HclOutline.Block> blocks, int index) {
        return index < blocks.size() ? blocks.get(index).body() : null;
    }

    /** hcl2json renders {@code x { }} (once or repeated) as an array of objects; any other value is an argument. */
    private static boolean isBlockForm(JsonNode value) {
        if (!value.isArray() || value.isEmpty()) {
            return false;
        }
        for (JsonNode element : value) {
            if (!element.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static void checkReferences(String file, JsonNode json, Set<String> declared, ProviderSchema schema,
                                        List<String> findings) {
        List<String> expressions = new ArrayList<>();
        ModuleWiringCheck.collectInterpolations(json, expressions);
        Set<String> reported = new HashSet<>();
        for (String expression : expressions) {
            Matcher m = REFERENCE.matcher(expression);
            while (m.find()) {
                boolean data = m.group(1) != null;
                String type = m.group(2);
                if (schema.providerOf(type).isEmpty()) {
                    continue; // not a provider type: a for-expression or dynamic iterator variable such as vpc_config.value
                }
                String address = (data ? "data." : "") + type + "." + m.group(3);
                String attribute = m.group(4);
                if (!declared.contains(address)) {
                    if (reported.add(address)) {
                        findings.add(file + ": " + address + " is referenced but not declared in this module");
                    }
                    continue;
                }
                ProviderSchema.TypeSchema typeSchema = (data ? schema.dataSources() : schema.resources()).get(type);
                if (attribute != null && typeSchema != null && !typeSchema.exported().contains(attribute)
                        && reported.add(address + "." + attribute)) {
                    findings.add(file + ": " + address + "." + attribute + ": " + type + " exports no attribute " + attribute);
                }
            }
        }
    }

    private static void forEachBlock(JsonNode byType, BiConsumer<String, String> action) {
        byType.fields().forEachRemaining(type -> type.getValue().fieldNames()
                .forEachRemaining(name -> action.accept(type.getKey(), name)));
    }
}
