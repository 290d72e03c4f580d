package dev.mqttharness.broker.fault;

import dev.mqttharness.spec.MqttVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberate, plausible mistake the reference broker can be switched to make, one per
 * (statement, mistake): the faults real brokers have. Used to prove the suite catches deviations
 * (mutation testing). Off unless named in the broker's configuration; no client can turn one on.
 *
 * <p>Each fault names the statements it breaks in each version ("" where the rule does not exist).
 */
public enum Fault {
    // -- connect and session
    SECOND_CONNECT_IGNORED("MQTT-3.1.0-2", "MQTT-3.1.0-2", "a second CONNECT is ignored instead of closing the connection"),
    BAD_PROTOCOL_LEVEL_CLOSED_SILENTLY("MQTT-3.1.2-2", "", "an unsupported protocol level is closed without CONNACK 0x01"),
    CLEAN_START_KEEPS_SESSION("MQTT-3.1.2-6", "MQTT-3.1.2-4", "Clean Start 1 resumes the existing session instead of discarding it"),
    SESSION_NOT_RESUMED("MQTT-3.1.2-4,MQTT-3.2.2-2", "MQTT-3.1.2-5,MQTT-3.2.2-3", "Clean Start 0 starts a new session, forgetting subscriptions"),
    SESSION_PRESENT_ON_CLEAN_START("MQTT-3.2.2-1", "MQTT-3.2.2-2", "Session Present is 1 after Clean Start 1"),
    SESSION_PRESENT_ON_REJECT("MQTT-3.2.2-4", "MQTT-3.2.2-6", "a refused CONNACK carries Session Present 1"),
    REJECT_WITHOUT_CLOSE("MQTT-3.2.2-5", "MQTT-3.2.2-7", "the connection stays open after a refusing CONNACK"),
    EMPTY_CLIENT_ID_WITHOUT_CLEAN_ACCEPTED("MQTT-3.1.3-8", "", "a zero-length Client Identifier with Clean Session 0 is accepted"),
    ASSIGNED_CLIENT_ID_MISSING("", "MQTT-3.2.2-16,MQTT-3.1.3-7", "no Assigned Client Identifier for a zero-length Client Identifier"),
    TAKEOVER_IGNORED("MQTT-3.1.4-2", "MQTT-3.1.4-3", "a second connection with the same Client Identifier leaves the first one open"),
    KEEP_ALIVE_NOT_ENFORCED("MQTT-3.1.2-24", "MQTT-3.1.2-22", "a silent client is never disconnected"),
    RESPONSE_INFORMATION_UNASKED("", "MQTT-3.1.2-28", "Response Information is sent though the client did not request it"),
    SESSION_EXPIRY_IGNORED("", "MQTT-4.1.0-2", "a session outlives its Session Expiry Interval"),
    SERVER_KEEP_ALIVE_NOT_USED("", "MQTT-3.2.2-22", "the broker disconnects by its own keep alive, not the client's"),

    // -- will
    WILL_ON_NORMAL_DISCONNECT("MQTT-3.14.4-3,MQTT-3.1.2-10", "MQTT-3.14.4-3,MQTT-3.1.2-10", "the will is published after a normal DISCONNECT"),
    WILL_NOT_PUBLISHED("MQTT-3.1.2-8", "MQTT-3.1.2-8", "the will is not published when the connection is lost"),
    WILL_RETAIN_IGNORED("MQTT-3.1.2-17", "MQTT-3.1.2-15", "a will with Will Retain 1 is published as a non-retained message"),
    WILL_RETAINED_WITHOUT_FLAG("MQTT-3.1.2-16", "MQTT-3.1.2-14", "a will with Will Retain 0 is published as a retained message"),
    WILL_DELAY_IGNORED("", "MQTT-3.1.3-9", "the will is published at once, ignoring the Will Delay Interval"),

    // -- publish, retain, QoS
    RETAIN_NOT_STORED("MQTT-3.3.1-5", "MQTT-3.3.1-5", "a PUBLISH with RETAIN 1 is not stored"),
    RETAINED_EMPTY_NOT_CLEARED("MQTT-3.3.1-10,MQTT-3.3.1-11", "MQTT-3.3.1-6,MQTT-3.3.1-7", "a retained PUBLISH with an empty payload is stored instead of clearing"),
    RETAIN_0_REPLACES_RETAINED("MQTT-3.3.1-12", "MQTT-3.3.1-8", "a PUBLISH with RETAIN 0 replaces the retained message"),
    RETAINED_NOT_SENT_ON_SUBSCRIBE("MQTT-3.3.1-6", "MQTT-3.3.1-9", "retained messages are not sent to a new subscription"),
    RETAINED_SENT_WITHOUT_RETAIN_FLAG("MQTT-3.3.1-8", "", "retained messages sent on subscribe have RETAIN 0"),
    RETAIN_FLAG_KEPT_ON_FORWARD("MQTT-3.3.1-9", "MQTT-3.3.1-12", "RETAIN 1 is kept when forwarding to an established subscription"),
    RETAIN_AS_PUBLISHED_IGNORED("", "MQTT-3.3.1-13", "RETAIN is cleared although Retain As Published is 1"),
    RETAIN_HANDLING_2_SENDS("", "MQTT-3.3.1-11", "retained messages are sent although Retain Handling is 2"),
    RETAIN_HANDLING_1_RESENDS("", "MQTT-3.3.1-10", "retained messages are re-sent for an existing subscription with Retain Handling 1"),
    DUP_PROPAGATED("MQTT-3.3.1-3", "MQTT-3.3.1-3", "the incoming DUP flag is copied to subscribers"),
    QOS_NOT_DOWNGRADED("MQTT-3.8.4-6", "MQTT-3.8.4-8", "messages are delivered at the published QoS, above the granted QoS"),
    PUBACK_MISSING("MQTT-3.3.4-1,MQTT-4.3.2-2", "MQTT-3.3.4-1,MQTT-4.3.2-4", "a QoS 1 PUBLISH is not acknowledged"),
    PUBREC_MISSING("MQTT-3.3.4-1,MQTT-4.3.3-2", "MQTT-3.3.4-1,MQTT-4.3.3-8", "a QoS 2 PUBLISH is not answered with PUBREC"),
    QOS2_DUPLICATE_DELIVERED("MQTT-4.3.3-2", "MQTT-4.3.3-10", "a re-sent QoS 2 PUBLISH is delivered again before PUBREL"),
    PUBCOMP_MISSING("§4.3.3", "MQTT-4.3.3-11", "PUBREL is not answered with PUBCOMP"),
    PUBREL_MISSING("MQTT-4.3.3-1", "MQTT-4.3.3-4", "PUBREC from a subscriber is not answered with PUBREL"),
    PACKET_ID_REUSED("MQTT-2.3.1-4", "MQTT-2.2.1-4", "a packet identifier still in flight is used again"),
    NO_RETRANSMIT_ON_RESUME("MQTT-4.4.0-1", "MQTT-4.4.0-1", "unacknowledged messages are not re-sent when the session resumes"),
    RETRANSMIT_WITHOUT_DUP("MQTT-3.3.1-1", "MQTT-3.3.1-1", "a re-sent PUBLISH has DUP 0"),
    OFFLINE_MESSAGES_DROPPED("MQTT-3.1.2-5,MQTT-4.5.0-1", "MQTT-4.5.0-1", "QoS 1 and 2 messages for a disconnected session are dropped"),
    ORDER_NOT_KEPT("MQTT-4.6.0-6", "MQTT-4.6.0-5", "queued messages are delivered newest first"),
    RECEIVE_MAXIMUM_IGNORED("", "MQTT-3.3.4-9", "more QoS 1/2 PUBLISHes are in flight than the client's Receive Maximum"),
    OVERSIZED_PACKET_SENT("", "MQTT-3.1.2-24,MQTT-3.1.2-25", "PUBLISHes larger than the client's Maximum Packet Size are sent"),
    TOPIC_ALIAS_UNASKED("", "MQTT-3.1.2-27,MQTT-3.3.2-11", "topic aliases are sent to a client whose Topic Alias Maximum is 0"),
    MESSAGE_EXPIRY_NOT_DECREMENTED("", "MQTT-3.3.2-6", "the Message Expiry Interval is forwarded unchanged"),
    EXPIRED_MESSAGE_DELIVERED("", "MQTT-3.3.2-5", "an expired queued message is still delivered"),
    USER_PROPERTIES_REORDERED("", "MQTT-3.3.2-18", "User Properties are forwarded in reverse order"),
    USER_PROPERTIES_DROPPED("", "MQTT-3.3.2-17", "User Properties are not forwarded"),
    PAYLOAD_FORMAT_DROPPED("", "MQTT-3.3.2-4", "the Payload Format Indicator is not forwarded"),
    CONTENT_TYPE_DROPPED("", "MQTT-3.3.2-20", "the Content Type is not forwarded"),
    RESPONSE_TOPIC_DROPPED("", "MQTT-3.3.2-15", "the Response Topic is not forwarded"),
    CORRELATION_DATA_DROPPED("", "MQTT-3.3.2-16", "the Correlation Data is not forwarded"),
    PROBLEM_INFORMATION_IGNORED("", "MQTT-3.1.2-29", "a Reason String is sent on PUBACK though Request Problem Information is 0"),

    // -- subscribe, unsubscribe
    SUBACK_WRONG_PACKET_ID("MQTT-3.8.4-2", "MQTT-3.8.4-2", "SUBACK carries a different packet identifier"),
    SUBSCRIPTION_NOT_REPLACED("MQTT-3.8.4-3", "MQTT-3.8.4-3", "an identical filter adds a second subscription instead of replacing"),
    UNSUBACK_MISSING_WHEN_NONE("MQTT-3.10.4-5", "MQTT-3.10.4-5", "no UNSUBACK when nothing was unsubscribed"),
    UNSUBSCRIBE_IGNORED("MQTT-3.10.4-2", "MQTT-3.10.4-2", "messages keep flowing after UNSUBSCRIBE"),
    NO_LOCAL_IGNORED("", "MQTT-3.8.3-3", "messages are sent back to their publisher despite No Local"),
    DOLLAR_TOPIC_MATCHED_BY_WILDCARD("MQTT-4.7.2-1", "MQTT-4.7.2-1", "'#' and '+' at the start of a filter match '$' topics"),
    SUBSCRIPTION_IDENTIFIER_DROPPED("", "MQTT-3.3.4-3", "Subscription Identifiers are not sent with matching messages"),
    PINGRESP_MISSING("MQTT-3.12.4-1", "MQTT-3.12.4-1", "PINGREQ is not answered"),

    // -- errors
    MALFORMED_NOT_CLOSED("MQTT-4.8.0-1", "MQTT-4.13.1-1", "a malformed packet is skipped and the connection kept open"),
    DISCONNECT_WITH_SESSION_EXPIRY("", "MQTT-3.14.2-2", "the broker's DISCONNECT carries a Session Expiry Interval"),
    AUTH_METHOD_NOT_ECHOED("", "MQTT-4.12.0-5", "the CONNACK after enhanced authentication lacks the Authentication Method");

    private final String v311;
    private final String v5;
    private final String mistake;

    Fault(String v311, String v5, String mistake) {
        this.v311 = v311;
        this.v5 = v5;
        this.mistake = mistake;
    }

    /** Statements this fault breaks in {@code version}; empty if it does not apply there. */
    public List<String> statements(MqttVersion version) {
        String s = version.catalogVersion() == MqttVersion.V5 ? v5 : v311;
        return s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    /** Versions in which the fault breaks a statement. */
    public List<MqttVersion> versions() {
        List<MqttVersion> out = new ArrayList<>(2);
        if (!v311.isEmpty()) {
            out.add(MqttVersion.V3_1_1);
        }
        if (!v5.isEmpty()) {
            out.add(MqttVersion.V5);
        }
        return out;
    }

    public String mistake() {
        return mistake;
    }

    /** The name used on the command line and in configuration: lower case with dashes. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static Fault byId(String id) {
        String n = id.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Fault f : values()) {
            if (f.name().equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + id + "'; --list-faults shows them");
    }
}
