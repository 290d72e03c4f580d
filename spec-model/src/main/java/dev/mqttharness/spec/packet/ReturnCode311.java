package dev.mqttharness.spec.packet;

/** MQTT 3.1 / 3.1.1 CONNACK return codes (§3.2.2.3) and SUBACK return codes (§3.9.3). */
public final class ReturnCode311 {
    public static final int ACCEPTED = 0x00;
    public static final int UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
    public static final int IDENTIFIER_REJECTED = 0x02;
    public static final int SERVER_UNAVAILABLE = 0x03;
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x04;
    public static final int NOT_AUTHORIZED = 0x05;

    /** SUBACK: success with the granted QoS 0..2, or failure. */
    public static final int SUBACK_FAILURE = 0x80;

    private ReturnCode311() {
    }

    public static boolean isConnackCode(int code) {
        return code >= 0 && code <= 5;
    }

    public static boolean isSubackCode(int code) {
        return code == 0 || code == 1 || code == 2 || code == SUBACK_FAILURE;
    }

    public static String describeConnack(int code) {
        switch (code) {
            case 0: return "0x00 Connection Accepted";
            case 1: return "0x01 unacceptable protocol version";
            case 2: return "0x02 identifier rejected";
            case 3: return "0x03 Server unavailable";
            case 4: return "0x04 bad user name or password";
            case 5: return "0x05 not authorized";
            default: return String.format("0x%02X (reserved)", code);
        }
    }
}
