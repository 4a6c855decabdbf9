package com.example.yardstick;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/** The whole payload-2.0 yardstick: one route, one serialised record. Handler: {@code APIGatewayV2HTTPEventFunction}. */
@Controller("/hello")
class HelloController {

    @Get
    Greeting hello() {
        return new Greeting("hello");
    }

    @Serdeable
    record Greeting(String message) {
    }
}
