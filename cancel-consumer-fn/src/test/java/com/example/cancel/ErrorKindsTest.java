package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.app.DeadLetter.ErrorKind;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One name per concept: a dead letter's error kind is defined once, in order-core's {@link ErrorKind}, and the
 * reader, the batch loop and {@code ApplyCancellation} refer to it. Before, the cancel consumer had its own
 * {@code PoisonKind} enum and {@code ApplyCancellation} had string constants, two of them for the same kinds.
 */
class ErrorKindsTest {

    private static final Set<String> KINDS =
            Arrays.stream(ErrorKind.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    @Test
    void noProductionClassDefinesAnErrorKindAgain() throws Exception {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.example.cancel", "com.example.order");
        assertThat(classes.contain(CancellationReader.class)).isTrue();
        assertThat(classes.contain(com.example.order.app.ApplyCancellation.class)).isTrue();
        List<String> again = new ArrayList<>();
        for (JavaClass type : classes) {
            if (type.isEquivalentTo(ErrorKind.class)) {
                continue;
            }
            for (JavaField field : type.getFields()) {
                if (type.isEnum() && field.getRawType().getName().equals(type.getName()) && KINDS.contains(field.getName())) {
                    again.add(field.getFullName() + " (an enum constant)");
                } else if (field.getModifiers().containsAll(Set.of(JavaModifier.STATIC, JavaModifier.FINAL))
                        && field.getRawType().isEquivalentTo(String.class)) {
                    Field reflected = field.reflect();
                    reflected.setAccessible(true);
                    Object value = reflected.get(null);
                    if (value instanceof String s && KINDS.contains(s)) {
                        again.add(field.getFullName() + " = \"" + s + "\"");
                    }
                }
            }
        }
        assertThat(again).as("error kinds defined outside DeadLetter.ErrorKind").isEmpty();
    }

    @Test
    void theReadmeListsEveryErrorKind() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String kinds = readme.substring(readme.indexOf("Poison kinds (`error.kind` of the dead letter"));
        kinds = kinds.substring(0, kinds.indexOf("\n\n"));
        for (ErrorKind kind : ErrorKind.values()) {
            assertThat(kinds).as("README's list of error kinds").contains("`" + kind.name() + "`");
        }
    }
}
