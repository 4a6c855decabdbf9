package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code aws_lambda_function} block declares, as far as the checks need it. The Terraform convention that makes
 * this statically checkable: {@code handler} is a literal, {@code filename} is {@code "${var.<root>}/<repo-relative path>"}
 * and {@code environment.variables} is a literal map (values may be expressions, keys may not), or exactly another
 * function's {@code aws_lambda_function.<name>.environment[0].variables} in the same module and artifact.
 *
 * @param address              file and resource address, for messages
 * @param handler              the handler string, empty if missing or not a literal
 * @param artifact             the artifact path relative to the repository root, empty if it cannot be resolved statically
 * @param environmentVariables the keys of {@code environment.variables}
 * @param problems             why something above could not be read (each one fails the checks)
 */
public record LambdaDeclaration(String address, Optional<String> handler, Optional<String> artifact,
                                Set<String> environmentVariables, List<String> problems) {

    /** {@code "${var.repo_root}/create-order-fn/target/create-order-fn.jar"}: one leading interpolation, then a literal path. */
    private static final Pattern ARTIFACT = Pattern.compile("^\\$\\{[^}]+}/([^$]+)$");

    /**
     * {@code variables = aws_lambda_function.<name>.environment[0].variables}: a second handler from the same artifact
     * (the relay's reconciliation job) takes the first function's environment as a whole, so both keep exactly the
     * keys of the one application.yml.
     */
    private static final Pattern ENVIRONMENT_OF = Pattern.compile(
            "^\\$\\{aws_lambda_function\\.([A-Za-z0-9_-]+)\\.environment\\[0]\\.variables}$");

    public static List<LambdaDeclaration> allIn(TerraformFiles terraform) {
        List<TerraformFiles.Resource> resources = terraform.resources("aws_lambda_function");
        List<LambdaDeclaration> declarations = new ArrayList<>();
        for (TerraformFiles.Resource resource : resources) {
            LambdaDeclaration declaration = of(resource);
            Optional<String> source = environmentSource(resource);
            if (source.isPresent()) {
                // Resolved within the same module (directory); a reference to a reference is not followed.
                String module = directory(resource.file());
                Optional<TerraformFiles.Resource> other = resources.stream()
                        .filter(r -> r.name().equals(source.get()) && directory(r.file()).equals(module))
                        .findFirst();
                List<String> problems = new ArrayList<>(declaration.problems());
                Set<String> env = new TreeSet<>();
                if (other.isEmpty()) {
                    problems.add("environment.variables refers to aws_lambda_function." + source.get()
                            + ", which this module does not declare");
                } else if (environmentSource(other.get()).isPresent()) {
                    problems.add("environment.variables refers to aws_lambda_function." + source.get()
                            + ", whose environment is itself a reference");
                } else {
                    LambdaDeclaration origin = of(other.get());
                    env.addAll(origin.environmentVariables());
                    if (!origin.artifact().equals(declaration.artifact())) {
                        problems.add("environment.variables is aws_lambda_function." + source.get()
                                + "'s, which deploys another artifact (" + origin.artifact().orElse("?")
                                + "), so another application.yml");
                    }
                }
                declaration = new LambdaDeclaration(declaration.address(), declaration.handler(), declaration.artifact(),
                        env, problems);
            }
            declarations.add(declaration);
        }
        return declarations;
    }

    private static Optional<String> environmentSource(TerraformFiles.Resource resource) {
        for (JsonNode block : resource.body().path("environment")) {
            JsonNode variables = block.path("variables");
            if (variables.isTextual()) {
                Matcher m = ENVIRONMENT_OF.matcher(variables.asText());
                if (m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    private static String directory(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    static LambdaDeclaration of(TerraformFiles.Resource resource) {
        List<String> problems = new ArrayList<>();
        JsonNode body = resource.body();

        Optional<String> handler = Optional.empty();
        JsonNode handlerNode = body.path("handler");
        if (!handlerNode.isTextual()) {
            problems.add("handler is missing");
        } else if (handlerNode.asText().contains("${")) {
            problems.add("handler must be a literal class name, found " + handlerNode.asText());
        } else {
            handler = Optional.of(handlerNode.asText());
        }

        Optional<String> artifact = Optional.empty();
        JsonNode filename = body.path("filename");
        if (!filename.isTextual()) {
            problems.add("filename is missing (the functions deploy local artifacts)");
        } else {
            Matcher m = ARTIFACT.matcher(filename.asText());
            if (m.matches()) {
                artifact = Optional.of(m.group(1));
            } else {
                problems.add("filename must look like \"${var.repo_root}/<module>/target/<module>.jar\", found " + filename.asText());
            }
        }

        Set<String> env = new TreeSet<>();
        JsonNode environment = body.path("environment");
        if (environment.isArray()) {
            for (JsonNode block : environment) {
                JsonNode variables = block.path("variables");
                if (variables.isObject()) {
                    for (Iterator<String> names = variables.fieldNames(); names.hasNext(); ) {
                        env.add(names.next());
                    }
                } else if (!variables.isMissingNode() && !(variables.isTextual() && ENVIRONMENT_OF.matcher(variables.asText()).matches())) {
                    problems.add("environment.variables must be a literal map so its keys can be checked, found " + variables);
                }
            }
        }
        return new LambdaDeclaration(resource.address(), handler, artifact, env, problems);
    }
}
