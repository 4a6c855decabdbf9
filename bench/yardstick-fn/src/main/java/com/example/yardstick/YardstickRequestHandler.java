package com.example.yardstick;

import io.micronaut.function.aws.MicronautRequestHandler;
import java.util.Map;

/** The plain {@code MicronautRequestHandler} yardstick: echoes the number of top-level fields of its input. */
public class YardstickRequestHandler extends MicronautRequestHandler<Map<String, Object>, String> {

    @Override
    public String execute(Map<String, Object> input) {
        return "fields=" + (input == null ? 0 : input.size());
    }
}
