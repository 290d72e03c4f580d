package dev.mqttharness.spec.packet;

import dev.mqttharness.spec.MqttVersion;
import java.util.Objects;

/**
 * CONNECT (§3.1). {@code will}, {@code username} and {@code password} are null when absent; the
 * flags on the wire follow from their presence. To send flags that contradict the payload, use the
 * raw writer.
 */
public record Connect(
        MqttVersion version,
        Utf8String clientId,
        boolean cleanStart,
        int keepAlive,
        Properties properties,
        Will will,
        Utf8String username,
        BinaryData password) implements Packet {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        properties = properties == null ? Properties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    public static Builder builder(MqttVersion version) {
        return new Builder(version);
    }

    public Builder toBuilder() {
        Builder b = new Builder(version);
        b.clientId = clientId;
        b.cleanStart = cleanStart;
        b.keepAlive = keepAlive;
        b.properties = properties;
        b.will = will;
        b.username = username;
        b.password = password;
        return b;
    }

    /** Builds a CONNECT; clean start on, keep alive 0 (off), no properties unless set. */
    public static final class Builder {
        private final MqttVersion version;
        private Utf8String clientId = Utf8String.EMPTY;
        private boolean cleanStart = true;
        private int keepAlive;
        private Properties properties = Properties.EMPTY;
        private Will will;
        private Utf8String username;
        private BinaryData password;

        private Builder(MqttVersion version) {
            this.version = version;
        }

        public Builder clientId(String id) {
            this.clientId = Utf8String.of(id);
            return this;
        }

        public Builder clientId(Utf8String id) {
            this.clientId = id;
            return this;
        }

        public Builder cleanStart(boolean b) {
            this.cleanStart = b;
            return this;
        }

        public Builder keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        public Builder properties(Properties p) {
            this.properties = p;
            return this;
        }

        public Builder property(Property p) {
            this.properties = properties.toBuilder().set(p).build();
            return this;
        }

        public Builder will(Will w) {
            this.will = w;
            return this;
        }

        public Builder username(String u) {
            this.username = u == null ? null : Utf8String.of(u);
            return this;
        }

        public Builder password(String p) {
            this.password = p == null ? null : BinaryData.of(p);
            return this;
        }

        public Builder password(BinaryData p) {
            this.password = p;
            return this;
        }

        public Connect build() {
            return new Connect(version, clientId, cleanStart, keepAlive, properties, will, username, password);
        }
    }
}
