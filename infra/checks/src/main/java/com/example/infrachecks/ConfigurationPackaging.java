package com.example.infrachecks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * The environment-variable check is only worth something if the function really reads its application.yml.
 * Micronaut silently skips YAML configuration when snakeyaml is not on the classpath, so the artifact must carry
 * both the yml and snakeyaml; otherwise every variable Terraform sets would be ignored on Lambda.
 */
public final class ConfigurationPackaging {

    static final String YML = "application.yml";
    static final String YAML_PARSER = "org/yaml/snakeyaml/Yaml.class";

    private ConfigurationPackaging() {
    }

    public static List<String> check(Path artifact) {
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            if (zip.getEntry(YML) == null) {
                problems.add(artifact.getFileName() + " does not contain " + YML + ", so no environment variable is read");
            }
            if (zip.getEntry(YAML_PARSER) == null) {
                problems.add(artifact.getFileName() + " has no snakeyaml (" + YAML_PARSER
                        + "): Micronaut would silently ignore application.yml and every variable in it");
            }
        } catch (IOException e) {
            problems.add("cannot read " + artifact + ": " + e.getMessage());
        }
        return problems;
    }
}
