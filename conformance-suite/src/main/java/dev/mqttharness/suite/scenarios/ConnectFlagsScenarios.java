package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * CONNECT flags and the payload they announce (3.1.1 and 5.0 §3.1.2.3 - §3.1.2.9, §3.1.3): CONNECTs
 * whose flags contradict their payload, or whose payload fields are missing, out of order or not
 * UTF-8, are client errors the broker must refuse by closing the connection (3.1.1 MQTT-3.1.4-1:
 * without a CONNACK; 5.0 MQTT-3.1.4-1 and §4.13.1: a CONNACK 0x81 / 0x82 may come first).
 */
@ScenarioSuite
class ConnectFlagsScenarios {
    private static final byte[] NOT_UTF8 = {(byte) 0xFF, (byte) 0xFE, (byte) 0xFD};

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-3", "MQTT-3.1.4-1"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-3", "MQTT-3.1.4-1", "MQTT-3.14.0-1"})
    void reserved_connect_flag_set_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.RESERVED).utf8(ctx.clientId("rsv"));
        refused(ctx, "rsv", w, "CONNECT with the reserved flag set",
                List.of("MQTT-3.1.2-3", "MQTT-3.1.4-1"), "a CONNECT with the reserved flag set is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-9", "MQTT-3.1.4-1"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-9", "MQTT-3.14.0-1"})
    void will_flag_without_will_fields_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.WILL).utf8(ctx.clientId("nowill"));
        refused(ctx, "nowill", w, "CONNECT with Will Flag 1 and no Will fields",
                ctx.v5() ? List.of("MQTT-3.1.2-9") : List.of("MQTT-3.1.2-9", "MQTT-3.1.4-1"),
                "Will Flag 1 without the Will fields is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-11", "MQTT-3.1.2-13"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-11", "MQTT-3.14.0-1"})
    void will_qos_without_will_flag_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.WILL_QOS_1).utf8(ctx.clientId("wq"));
        refused(ctx, "wq", w, "CONNECT with Will QoS 1 and Will Flag 0",
                ctx.v5() ? List.of("MQTT-3.1.2-11") : List.of("MQTT-3.1.2-11", "MQTT-3.1.2-13"),
                "Will QoS other than 0 without the Will Flag is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-11", "MQTT-3.1.2-15"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-13", "MQTT-3.14.0-1"})
    void will_retain_without_will_flag_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.WILL_RETAIN).utf8(ctx.clientId("wr"));
        refused(ctx, "wr", w, "CONNECT with Will Retain 1 and Will Flag 0",
                ctx.v5() ? List.of("MQTT-3.1.2-13") : List.of("MQTT-3.1.2-11", "MQTT-3.1.2-15"),
                "Will Retain 1 without the Will Flag is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-14")
    @Verifies(version = V5, value = {"MQTT-3.1.2-12", "MQTT-3.14.0-1"})
    void will_qos_3_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(),
                Lifecycle.CLEAN | Lifecycle.WILL | Lifecycle.WILL_QOS_1 | Lifecycle.WILL_QOS_2).utf8(ctx.clientId("wq3"));
        Lifecycle.willProperties(w, ctx.version()).utf8(ctx.topic("will")).lengthPrefixed(bytes("gone"));
        refused(ctx, "wq3", w, "CONNECT with Will QoS 3", List.of(ctx.v5() ? "MQTT-3.1.2-12" : "MQTT-3.1.2-14"),
                "Will QoS 3 is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-19")
    @Verifies(version = V5, value = {"MQTT-3.1.2-17", "MQTT-3.14.0-1"})
    void user_name_flag_without_user_name_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.USERNAME).utf8(ctx.clientId("nouser"));
        refused(ctx, "nouser", w, "CONNECT with User Name Flag 1 and no User Name",
                List.of(ctx.v5() ? "MQTT-3.1.2-17" : "MQTT-3.1.2-19"), "User Name Flag 1 without a User Name is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-18")
    @Verifies(version = V5, value = {"MQTT-3.1.2-16", "MQTT-3.14.0-1"})
    void user_name_without_user_name_flag_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN).utf8(ctx.clientId("userx")).utf8("mh-user");
        refused(ctx, "userx", w, "CONNECT with User Name Flag 0 followed by a User Name",
                List.of(ctx.v5() ? "MQTT-3.1.2-16" : "MQTT-3.1.2-18"), "a User Name without its flag is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-21")
    @Verifies(version = V5, value = {"MQTT-3.1.2-19", "MQTT-3.14.0-1"})
    void password_flag_without_password_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.USERNAME | Lifecycle.PASSWORD)
                .utf8(ctx.clientId("nopw")).utf8("mh-user");
        refused(ctx, "nopw", w, "CONNECT with Password Flag 1 and no Password",
                List.of(ctx.v5() ? "MQTT-3.1.2-19" : "MQTT-3.1.2-21"), "Password Flag 1 without a Password is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-20")
    @Verifies(version = V5, value = {"MQTT-3.1.2-18", "MQTT-3.14.0-1"})
    void password_without_password_flag_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.USERNAME)
                .utf8(ctx.clientId("pwx")).utf8("mh-user").lengthPrefixed(bytes("mh-password"));
        refused(ctx, "pwx", w, "CONNECT with Password Flag 0 followed by a Password",
                List.of(ctx.v5() ? "MQTT-3.1.2-18" : "MQTT-3.1.2-20"), "a Password without its flag is refused");
    }

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-22")
    void password_without_user_name_is_refused(ScenarioContext ctx) throws Exception {
        // 3.1.1 only: 5.0 allows a Password without a User Name
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.PASSWORD)
                .utf8(ctx.clientId("pwonly")).lengthPrefixed(bytes("mh-password"));
        refused(ctx, "pwonly", w, "CONNECT with Password Flag 1 and User Name Flag 0",
                List.of("MQTT-3.1.2-22"), "a Password without a User Name is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-1")
    @Verifies(version = V5, value = {"MQTT-3.1.3-1", "MQTT-3.14.0-1"})
    void payload_fields_out_of_order_are_refused(ScenarioContext ctx) throws Exception {
        // Password before User Name: read in the order the spec fixes, the password's bytes (not UTF-8)
        // land in the User Name, so a broker that parses in order must find the CONNECT malformed
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.USERNAME | Lifecycle.PASSWORD)
                .utf8(ctx.clientId("order")).lengthPrefixed(NOT_UTF8).utf8("mh-user");
        refused(ctx, "order", w, "CONNECT with the Password (bytes FF FE FD) before the User Name",
                List.of("MQTT-3.1.3-1"), "payload fields out of order are refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.3-3", "MQTT-3.1.4-1"})
    @Verifies(version = V5, value = {"MQTT-3.1.3-3", "MQTT-3.1.4-1", "MQTT-3.14.0-1"})
    void missing_client_identifier_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN);
        refused(ctx, "noid", w, "CONNECT without a payload (no Client Identifier)",
                List.of("MQTT-3.1.3-3", "MQTT-3.1.4-1"), "a CONNECT without a Client Identifier is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-10")
    @Verifies(version = V5, value = {"MQTT-3.1.3-11", "MQTT-3.14.0-1"})
    void will_topic_that_is_not_utf8_is_refused(ScenarioContext ctx) throws Exception {
        // "mh/" then an encoded surrogate (ED A0 80), which well-formed UTF-8 excludes
        byte[] topic = {'m', 'h', '/', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.WILL).utf8(ctx.clientId("wtopic"));
        Lifecycle.willProperties(w, ctx.version()).lengthPrefixed(topic).lengthPrefixed(bytes("gone"));
        refused(ctx, "wtopic", w, "CONNECT whose Will Topic holds a UTF-16 surrogate",
                List.of(ctx.v5() ? "MQTT-3.1.3-11" : "MQTT-3.1.3-10"), "a Will Topic that is not UTF-8 is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-11")
    @Verifies(version = V5, value = {"MQTT-3.1.3-12", "MQTT-3.14.0-1"})
    void user_name_that_is_not_utf8_is_refused(ScenarioContext ctx) throws Exception {
        ByteWriter w = Lifecycle.connectHeader(ctx.version(), Lifecycle.CLEAN | Lifecycle.USERNAME)
                .utf8(ctx.clientId("uname")).lengthPrefixed(NOT_UTF8);
        refused(ctx, "uname", w, "CONNECT whose User Name is the bytes FF FE FD",
                List.of(ctx.v5() ? "MQTT-3.1.3-12" : "MQTT-3.1.3-11"), "a User Name that is not UTF-8 is refused");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Sends the CONNECT body as raw bytes and judges {@code ids} by the refusal: a close, in 3.1.1
     * without a CONNACK (MQTT-3.1.4-1), in 5.0 optionally after CONNACK 0x81 / 0x82 (§4.13.1).
     */
    private static void refused(ScenarioContext ctx, String name, ByteWriter body, String what, List<String> ids,
                                String check) throws IOException {
        ProbeClient p = ctx.open(name);
        p.sendRaw(Lifecycle.connectPacket(body), what);
        Lifecycle.expectConnectRefused(ctx, p, ids, check, Set.of(), Lifecycle.malformedConnack());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
