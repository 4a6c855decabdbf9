package com.example.createorder;

import static com.example.createorder.RequestBodies.oneItem;
import static com.example.createorder.RequestBodies.quoted;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Bad POST /orders bodies with the status and field the problem+json must name. Shared by handler and HTTP tests. */
record BadInput(String name, String body, int status, String field) {

    @Override
    public String toString() {
        return name;
    }

    static List<BadInput> all() {
        String c = quoted(UUID.randomUUID());
        String p = quoted(UUID.randomUUID());
        String item = "{\"productId\":" + p + ",\"quantity\":1,\"unitPrice\":1.00}";
        var cases = new ArrayList<BadInput>();
        cases.add(new BadInput("malformed JSON", "{\"customerId\": ", 400, "body"));
        cases.add(new BadInput("empty body", "", 400, "body"));
        cases.add(new BadInput("array instead of object", "[" + item + "]", 400, "body"));
        cases.add(new BadInput("bare string", "\"order\"", 400, "body"));
        cases.add(new BadInput("trailing garbage", oneItem(c, p, "1", "1.00") + " x", 400, "body"));
        cases.add(new BadInput("duplicate key", "{\"customerId\":" + c + ",\"customerId\":" + c + ",\"items\":[" + item + "]}", 400, "body"));
        cases.add(new BadInput("deeply nested junk", "{\"junk\":" + "[".repeat(200) + "]".repeat(200)
                + ",\"customerId\":" + c + ",\"items\":[" + item + "]}", 400, "body"));
        cases.add(new BadInput("missing customerId", "{\"items\":[" + item + "]}", 400, "customerId"));
        cases.add(new BadInput("null customerId", oneItem("null", p, "1", "1.00"), 400, "customerId"));
        cases.add(new BadInput("non-UUID customerId", oneItem("\"customer-42\"", p, "1", "1.00"), 400, "customerId"));
        cases.add(new BadInput("object as customerId", oneItem("{\"id\":1}", p, "1", "1.00"), 400, "customerId"));
        cases.add(new BadInput("non-UUID productId", oneItem(c, "12345", "1", "1.00"), 400, "items[0].productId"));
        cases.add(new BadInput("missing items", "{\"customerId\":" + c + "}", 400, "items"));
        cases.add(new BadInput("empty items", "{\"customerId\":" + c + ",\"items\":[]}", 400, "items"));
        cases.add(new BadInput("101 items", "{\"customerId\":" + c + ",\"items\":["
                + IntStream.range(0, 101).mapToObj(i -> item).collect(Collectors.joining(",")) + "]}", 400, "items"));
        cases.add(new BadInput("items is a string", "{\"customerId\":" + c + ",\"items\":\"lots\"}", 400, "items"));
        cases.add(new BadInput("item is a number", "{\"customerId\":" + c + ",\"items\":[" + item + ",7]}", 400, "items[1]"));
        cases.add(new BadInput("quantity 0", oneItem(c, p, "0", "1.00"), 400, "items[0].quantity"));
        cases.add(new BadInput("quantity negative", oneItem(c, p, "-3", "1.00"), 400, "items[0].quantity"));
        cases.add(new BadInput("quantity absurd", oneItem(c, p, "100000000000000000000000", "1.00"), 400, "items[0].quantity"));
        cases.add(new BadInput("quantity fractional", oneItem(c, p, "1.5", "1.00"), 400, "items[0].quantity"));
        cases.add(new BadInput("quantity as string", oneItem(c, p, "\"2\"", "1.00"), 400, "items[0].quantity"));
        cases.add(new BadInput("quantity boolean", oneItem(c, p, "true", "1.00"), 400, "items[0].quantity"));
        cases.add(new BadInput("unitPrice 0", oneItem(c, p, "1", "0"), 400, "items[0].unitPrice"));
        cases.add(new BadInput("unitPrice negative", oneItem(c, p, "1", "-9.99"), 400, "items[0].unitPrice"));
        cases.add(new BadInput("unitPrice 3 decimals", oneItem(c, p, "1", "9.999"), 400, "items[0].unitPrice"));
        cases.add(new BadInput("unitPrice absurd", oneItem(c, p, "1", "1e15"), 400, "items[0].unitPrice"));
        cases.add(new BadInput("unitPrice as string", oneItem(c, p, "1", "\"9.99\""), 400, "items[0].unitPrice"));
        cases.add(new BadInput("unitPrice missing", "{\"customerId\":" + c + ",\"items\":[{\"productId\":" + p
                + ",\"quantity\":1}]}", 400, "items[0].unitPrice"));
        cases.add(new BadInput("third item bad price", "{\"customerId\":" + c + ",\"items\":[" + item + "," + item
                + ",{\"productId\":" + p + ",\"quantity\":1,\"unitPrice\":0.001}]}", 400, "items[2].unitPrice"));
        return cases;
    }
}
