package com.example.infrachecks;

import java.util.ArrayList;
import java.util.List;

/**
 * The outline of an HCL file: which body items are arguments ({@code name = ...}) and which are blocks
 * ({@code type "label" { ... }}), nested, with line numbers. Expressions are skipped, not parsed.
 * <p>
 * Hand-written because hcl2json (the parser every check uses) renders a block and an argument holding a list of
 * objects ({@code x = [{...}]}) identically, and no HCL parser with a syntax tree is available on Maven Central or
 * as plain JavaScript; telling the two forms apart needs only this outline. It assumes a file hcl2json has parsed
 * (so valid HCL) and follows HCL's native syntax: an argument's expression ends at a newline outside brackets,
 * strings may hold {@code ${...}} templates with nested strings, heredocs ({@code <<EOF}, {@code <<-EOF}) end at a
 * line holding only their marker, and comments are {@code #}, {@code //} and {@code /* *}{@code /}.
 */
public final class HclOutline {

    /** A body item: an argument or a block. */
    public sealed interface Item permits Argument, Block {
        String name();

        int line();
    }

    /** {@code name = expression}, on 1-based {@code line}. */
    public record Argument(String name, int line) implements Item {
    }

    /** {@code name "label"... { body }}, opened on 1-based {@code line}. */
    public record Block(String name, List<String> labels, int line, List<Item> body) implements Item {
        /** The nested blocks of this body with the given name, in source order. */
        public List<Block> blocks(String type) {
            return blocksIn(body, type);
        }
    }

    private final String text;
    private int pos;
    private int line = 1;

    private HclOutline(String text) {
        this.text = text;
    }

    /** The top-level items of an HCL file; throws IllegalArgumentException where the outline cannot be followed. */
    public static List<Item> parse(String text) {
        HclOutline outline = new HclOutline(text);
        List<Item> items = outline.body(false);
        return items;
    }

    /** The blocks of a body with the given name, in source order. */
    public static List<Block> blocksIn(List<Item> body, String type) {
        List<Block> found = new ArrayList<>();
        for (Item item : body) {
            if (item instanceof Block block && block.name().equals(type)) {
                found.add(block);
            }
        }
        return found;
    }

    private List<Item> body(boolean nested) {
        List<Item> items = new ArrayList<>();
        while (true) {
            skipSpaceAndComments(true);
            if (pos >= text.length()) {
                if (nested) {
                    throw error("unclosed block");
                }
                return items;
            }
            char c = text.charAt(pos);
            if (c == '}') {
                if (!nested) {
                    throw error("unexpected }");
                }
                pos++;
                return items;
            }
            int itemLine = line;
            String name = identifier();
            skipSpaceAndComments(false);
            if (pos < text.length() && text.charAt(pos) == '=' && !text.startsWith("==", pos)) {
                pos++;
                skipExpression();
                items.add(new Argument(name, itemLine));
                continue;
            }
            List<String> labels = new ArrayList<>();
            while (pos < text.length() && text.charAt(pos) != '{') {
                labels.add(text.charAt(pos) == '"' ? quotedLabel() : identifier());
                skipSpaceAndComments(false);
            }
            if (pos >= text.length()) {
                throw error("block " + name + " has no {");
            }
            pos++;
            items.add(new Block(name, List.copyOf(labels), itemLine, body(true)));
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == '-')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a name, found '" + text.charAt(pos) + "'");
        }
        return text.substring(start, pos);
    }

    private String quotedLabel() {
        int start = pos + 1;
        skipString();
        return text.substring(start, pos - 1);
    }

    /** Skips an argument's expression: up to a newline (or a block's closing brace) outside brackets. */
    private void skipExpression() {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n' && depth == 0) {
                return;
            }
            if (c == '}' && depth == 0) {
                return; // a one-line block: x { a = 1 }
            }
            if (c == '#' || text.startsWith("//", pos) || text.startsWith("/*", pos)) {
                skipComment();
            } else if (c == '"') {
                skipString();
            } else if (text.startsWith("<<", pos) && heredocAhead()) {
                skipHeredoc();
            } else {
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                } else if (c == '\n') {
                    line++;
                }
                pos++;
            }
        }
    }

    /** Skips a quoted string starting at its opening quote, with escapes and nested {@code ${...}} / {@code %{...}}. */
    private void skipString() {
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == '"') {
                pos++;
                return;
            } else if ((c == '$' || c == '%') && text.startsWith("{", pos + 1)) {
                if (text.startsWith("$${", pos) || text.startsWith("%%{", pos)) {
                    pos += 3; // escaped: literal ${ / %{
                    continue;
                }
                pos += 2;
                skipTemplate();
            } else {
                if (c == '\n') {
                    throw error("newline in a quoted string");
                }
                pos++;
            }
        }
        throw error("unclosed string");
    }

    /** Skips a template interpolation's inside, up to and including its closing brace. */
    private void skipTemplate() {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                skipString();
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth-- == 0) {
                    pos++;
                    return;
                }
            } else if (c == '\n') {
                line++;
            }
            pos++;
        }
        throw error("unclosed template");
    }

    private boolean heredocAhead() {
        int p = pos + 2;
        if (p < text.length() && text.charAt(p) == '-') {
            p++;
        }
        return p < text.length() && (Character.isLetter(text.charAt(p)) || text.charAt(p) == '_');
    }

    private void skipHeredoc() {
        pos += 2;
        if (text.charAt(pos) == '-') {
            pos++;
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String marker = text.substring(start, pos);
        int eol = text.indexOf('\n', pos);
        while (eol >= 0) {
            line++;
            int next = text.indexOf('\n', eol + 1);
            String content = text.substring(eol + 1, next < 0 ? text.length() : next);
            if (content.strip().equals(marker)) {
                pos = eol + 1 + content.length();
                return;
            }
            eol = next;
        }
        throw error("unclosed heredoc " + marker);
    }

    private void skipComment() {
        if (text.startsWith("/*", pos)) {
            int end = text.indexOf("*/", pos + 2);
            if (end < 0) {
                throw error("unclosed comment");
            }
            line += (int) text.substring(pos, end).chars().filter(c -> c == '\n').count();
            pos = end + 2;
        } else {
            int end = text.indexOf('\n', pos);
            pos = end < 0 ? text.length() : end; // the newline itself ends the expression or is skipped as space
        }
    }

    private void skipSpaceAndComments(boolean newlines) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                if (!newlines) {
                    return;
                }
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || text.startsWith("//", pos) || text.startsWith("/*", pos)) {
                skipComment();
            } else {
                return;
            }
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("line " + line + ": " + message);
    }
}
