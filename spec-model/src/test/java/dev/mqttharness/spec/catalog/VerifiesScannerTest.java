package dev.mqttharness.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.spec.MqttVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifiesScannerTest {
    // built at run time so that the repository-wide ID scan does not see them as typos
    static final String NOT_IN_311 = "MQTT-4.7.0-1"; // a 5.0-only ID
    static final String NO_SUCH = "MQTT-9.9.9-" + "9";

    @Verifies(version = MqttVersion.V5, value = {"MQTT-3.3.1-4", "§4.9"})
    @Verifies(version = MqttVersion.V3_1_1, value = "MQTT-3.3.1-4")
    static final class AllKnown {
        @Verifies(version = MqttVersion.V5, value = "MQTT-3.1.2-24")
        int field;

        @Verifies(version = MqttVersion.V3_1_1, value = "MQTT-3.1.2-24")
        void method() {
        }
    }

    @Verifies(version = MqttVersion.V3_1_1, value = {"MQTT-3.3.1-4", NOT_IN_311})
    static final class WrongVersionOnClass {
        @Verifies(version = MqttVersion.V5, value = "§9.9")
        int field;

        @Verifies(version = MqttVersion.V5, value = "MQTT-3.3.1-4")
        @Verifies(version = MqttVersion.V3_1, value = "MQTT-3.3.1-4")
        void fine() {
        }

        static final class Nested {
            @Verifies(version = MqttVersion.V5, value = NO_SUCH)
            void method() {
            }
        }
    }

    @Test
    void known_references_yield_nothing() {
        assertThat(VerifiesScanner.unknownReferences(AllKnown.class)).isEmpty();
        VerifiesScanner.requireKnown(AllKnown.class);
    }

    @Test
    void unknown_ids_are_reported_per_annotation_with_class_method_and_field() {
        List<VerifiesScanner.UnknownReference> unknown = VerifiesScanner.unknownReferences(WrongVersionOnClass.class);
        assertThat(unknown).extracting(VerifiesScanner.UnknownReference::element).containsExactlyInAnyOrder(
                WrongVersionOnClass.class.getName(),
                WrongVersionOnClass.class.getName() + ".field",
                WrongVersionOnClass.Nested.class.getName() + "#method");
        assertThat(unknown).filteredOn(u -> u.element().equals(WrongVersionOnClass.class.getName()))
                .singleElement().satisfies(u -> {
                    assertThat(u.unknownIds()).containsExactly(NOT_IN_311);
                    assertThat(u.annotation().version()).isEqualTo(MqttVersion.V3_1_1);
                });
    }

    @Test
    void require_known_fails_listing_every_unknown_reference() {
        assertThatThrownBy(() -> VerifiesScanner.requireKnown(WrongVersionOnClass.class, AllKnown.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("3 @Verifies")
                .hasMessageContaining(NOT_IN_311)
                .hasMessageContaining("§9.9")
                .hasMessageContaining(NO_SUCH);
    }

    @Test
    void classes_in_finds_the_classes_of_a_package() {
        List<Class<?>> classes = VerifiesScanner.classesIn("dev.mqttharness.spec.catalog");
        assertThat(classes).contains(Catalog.class, VerifiesScanner.class, VerifiesScannerTest.class,
                AllKnown.class, WrongVersionOnClass.Nested.class);
    }

    @Test
    void the_spec_model_itself_has_no_unknown_references() {
        VerifiesScanner.requireKnown(VerifiesScanner.classesIn("dev.mqttharness.spec.codec"));
        VerifiesScanner.requireKnown(VerifiesScanner.classesIn("dev.mqttharness.spec.packet"));
    }

    @Test
    void the_unknown_id_used_here_is_really_unknown() {
        assertThat(Catalog.get().exists(MqttVersion.V5, NO_SUCH)).isFalse();
        assertThat(Catalog.get().exists(MqttVersion.V3_1_1, NO_SUCH)).isFalse();
    }
}
