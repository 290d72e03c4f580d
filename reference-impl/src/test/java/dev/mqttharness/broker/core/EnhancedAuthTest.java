package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.auth.Scram;
import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.ReasonCode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Enhanced authentication (§4.12) with SCRAM-SHA-256, both sides of {@link Scram}. */
class EnhancedAuthTest {
    private final CoreHarness h = new CoreHarness(BrokerConfig.builder().user("alice", "secret").build());

    private static Properties authProps(byte[] data) {
        return Properties.builder().string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(data)).build();
    }

    private static Connect scramConnect(Scram.Client client) {
        return Connect.builder(V5).clientId("scram").properties(authProps(client.clientFirst())).build();
    }

    @Test
    void scram_exchange_with_the_right_password_ends_in_connack_success_with_the_method() {
        Scram.Client client = new Scram.Client("alice", "secret", new Random(1));
        CoreHarness.Conn c = h.open(V5, "scram");
        c.send(scramConnect(client));
        Auth serverFirst = c.expect(Auth.class);
        assertThat(serverFirst.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION.value());
        assertThat(serverFirst.properties().string(PropertyId.AUTHENTICATION_METHOD).toString()).isEqualTo(Scram.METHOD);
        byte[] clientFinal = client.clientFinal(serverFirst.properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), authProps(clientFinal)));
        Connack ack = c.expect(Connack.class);
        assertThat(ack.reasonCode()).isZero();
        assertThat(ack.properties().string(PropertyId.AUTHENTICATION_METHOD).toString()).isEqualTo(Scram.METHOD);
        assertThat(client.verifyServerFinal(ack.properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray())).isTrue();
        assertThat(h.enforced(V5, "MQTT-4.12.0-2")).isTrue();
        assertThat(h.enforced(V5, "MQTT-4.12.0-5")).isTrue();
    }

    @Test
    void scram_exchange_with_a_wrong_password_ends_in_connack_0x87_and_close() {
        Scram.Client client = new Scram.Client("alice", "wrong", new Random(1));
        CoreHarness.Conn c = h.open(V5, "scram");
        c.send(scramConnect(client));
        Auth serverFirst = c.expect(Auth.class);
        byte[] clientFinal = client.clientFinal(serverFirst.properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), authProps(clientFinal)));
        assertThat(c.expect(Connack.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED.value());
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-4.12.0-4")).isTrue();
    }

    @Test
    void unknown_authentication_method_is_refused_with_0x8c() {
        CoreHarness.Conn c = h.open(V5, "m");
        Connack ack = c.connect(Connect.builder(V5).clientId("m").properties(Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, "KERBEROS").build()).build());
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD.value());
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-4.12.0-1")).isTrue();
    }

    @Test
    void packet_other_than_auth_during_authentication_is_a_protocol_error() {
        CoreHarness.Conn c = h.open(V5, "p");
        c.send(scramConnect(new Scram.Client("alice", "secret", new Random(1))));
        c.expect(Auth.class);
        c.send(Publish.qos0("t", "x"));
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-3.1.2-30")).isTrue();
    }

    @Test
    void auth_without_an_authentication_method_in_connect_is_a_protocol_error() {
        CoreHarness.Conn c = h.connected(V5, "plain");
        c.send(new Auth(ReasonCode.RE_AUTHENTICATE.value(), authProps(new byte[] {1})));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR.value());
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-4.12.0-7")).isTrue();
    }

    @Test
    void re_authentication_with_the_same_method_ends_in_auth_success() {
        Scram.Client first = new Scram.Client("alice", "secret", new Random(1));
        CoreHarness.Conn c = h.open(V5, "re");
        c.send(scramConnect(first));
        byte[] fin = first.clientFinal(c.expect(Auth.class).properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), authProps(fin)));
        assertThat(c.expect(Connack.class).reasonCode()).isZero();

        Scram.Client again = new Scram.Client("alice", "secret", new Random(2));
        c.send(new Auth(ReasonCode.RE_AUTHENTICATE.value(), authProps(again.clientFirst())));
        Auth serverFirst = c.expect(Auth.class);
        assertThat(serverFirst.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION.value());
        byte[] fin2 = again.clientFinal(serverFirst.properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), authProps(fin2)));
        Auth done = c.expect(Auth.class);
        assertThat(done.reasonCode()).isEqualTo(ReasonCode.SUCCESS.value());
        assertThat(again.verifyServerFinal(done.properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray())).isTrue();
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void failed_re_authentication_disconnects_with_0x87() {
        Scram.Client first = new Scram.Client("alice", "secret", new Random(1));
        CoreHarness.Conn c = h.open(V5, "re");
        c.send(scramConnect(first));
        byte[] fin = first.clientFinal(c.expect(Auth.class).properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), authProps(fin)));
        c.expect(Connack.class);
        Scram.Client bad = new Scram.Client("alice", "nope", new Random(2));
        c.send(new Auth(ReasonCode.RE_AUTHENTICATE.value(), authProps(bad.clientFirst())));
        byte[] fin2 = bad.clientFinal(c.expect(Auth.class).properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), authProps(fin2)));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED.value());
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-4.12.1-2")).isTrue();
    }
}
