package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The provider schema of the resource and data-source types the Terraform uses, as committed in
 * {@code src/main/resources/provider-schema.json} by {@code src/main/js/extract-provider-schema.js}
 * (from npm's prebuilt provider bindings, see the module README for the version and what the schema cannot see).
 *
 * @param providers      provider name ({@code aws}) -> "{@code hashicorp/aws 6.40.0}", for messages
 * @param providerBlocks provider name -> the arguments and blocks of its {@code provider "aws" { }} configuration
 * @param resources      resource type -> its schema
 * @param dataSources    data-source type -> its schema
 */
public record ProviderSchema(Map<String, String> providers, Map<String, Block> providerBlocks,
                             Map<String, TypeSchema> resources, Map<String, TypeSchema> dataSources) {

    public static final String RESOURCE = "provider-schema.json";

    /** One block body: its arguments and nested blocks. */
    public record Block(Map<String, Boolean> arguments, Set<String> objectArguments, Map<String, Block> blocks,
                        boolean required, boolean maxOne) {
    }

    /**
     * @param body     the top-level block's arguments and nested blocks (meta-arguments excluded)
     * @param exported every attribute a reference {@code type.name.attr} may read (arguments and computed ones)
     */
    public record TypeSchema(Block body, Set<String> exported) {
    }

    /** The schema committed with the checks. */
    public static ProviderSchema committed() {
        try (InputStream in = ProviderSchema.class.getResourceAsStream("/" + RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (run npm run extract-provider-schema)");
            }
            return of(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProviderSchema of(JsonNode json) {
        Map<String, String> providers = new TreeMap<>();
        json.path("providers").fields().forEachRemaining(p ->
                providers.put(p.getKey(), p.getValue().path("source").asText() + " " + p.getValue().path("version").asText()));
        Map<String, Block> providerBlocks = new TreeMap<>();
        json.path("provider").fields().forEachRemaining(p -> providerBlocks.put(p.getKey(), block(p.getValue())));
        return new ProviderSchema(providers, providerBlocks, types(json.path("resource")), types(json.path("data")));
    }

    /** The provider a type belongs to, by Terraform's rule: the type name's prefix up to the first underscore. */
    public Optional<String> providerOf(String type) {
        int underscore = type.indexOf('_');
        return underscore <= 0 ? Optional.empty() : Optional.of(type.substring(0, underscore)).filter(providers::containsKey);
    }

    private static Map<String, TypeSchema> types(JsonNode byType) {
        Map<String, TypeSchema> types = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = byType.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> type = it.next();
            Set<String> exported = new TreeSet<>();
            type.getValue().path("exported").forEach(name -> exported.add(name.asText()));
            types.put(type.getKey(), new TypeSchema(block(type.getValue()), exported));
        }
        return types;
    }

    private static Block block(JsonNode json) {
        Map<String, Boolean> arguments = new LinkedHashMap<>();
        json.path("attributes").fields().forEachRemaining(a -> arguments.put(a.getKey(), a.getValue().asText().equals("required")));
        Set<String> objectArguments = new TreeSet<>();
        json.path("objectAttributes").forEach(name -> objectArguments.add(name.asText()));
        Map<String, Block> blocks = new LinkedHashMap<>();
        json.path("blocks").fields().forEachRemaining(b -> blocks.put(b.getKey(), block(b.getValue())));
        return new Block(arguments, objectArguments, blocks, json.path("required").asBoolean(false),
                json.path("maxItems").asInt(0) == 1);
    }
}
