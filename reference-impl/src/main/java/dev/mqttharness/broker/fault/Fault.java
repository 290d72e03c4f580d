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
    CLEAN_START_KEEPS_SESSION("MQTT-3.1.2-6,MQTT-3.1.4-3,MQTT-3.2.2-1", "MQTT-3.1.2-4,MQTT-3.1.4-4,MQTT-3.2.2-2", "Clean Start 1 resumes the existing session instead of discarding it"),
    SESSION_NOT_RESUMED("MQTT-3.1.2-4,MQTT-3.2.2-2,MQTT-3.1.4-3", "MQTT-3.1.2-5,MQTT-3.2.2-3,MQTT-3.1.4-4", "Clean Start 0 starts a new session, forgetting subscriptions"),
    SESSION_PRESENT_ON_CLEAN_START("MQTT-3.2.2-1", "MQTT-3.2.2-2", "Session Present is 1 after Clean Start 1"),
    SESSION_PRESENT_ON_REJECT("MQTT-3.2.2-4", "MQTT-3.2.2-6", "a refused CONNACK carries Session Present 1"),
    REJECT_WITHOUT_CLOSE("MQTT-3.2.2-5", "MQTT-3.2.2-7", "the connection stays open after a refusing CONNACK"),
    EMPTY_CLIENT_ID_WITHOUT_CLEAN_ACCEPTED("MQTT-3.1.3-8", "", "a zero-length Client Identifier with Clean Session 0 is accepted"),
    ASSIGNED_CLIENT_ID_MISSING("", "MQTT-3.2.2-16,MQTT-3.1.3-7", "no Assigned Client Identifier for a zero-length Client Identifier"),
    TAKEOVER_IGNORED("MQTT-3.1.4-2", "MQTT-3.1.4-3", "a second connection with the same Client Identifier leaves the first one open"),
    KEEP_ALIVE_NOT_ENFORCED("MQTT-3.1.2-24", "MQTT-3.1.2-22", "a silent client is never disconnected"),
    RESPONSE_INFORMATION_UNASKED("", "MQTT-3.1.2-28", "Response Information is sent though the client did not request it"),
    SESSION_EXPIRY_IGNORED("", "MQTT-4.1.0-2", "a session outlives its Session Expiry Interval"),
    SERVER_KEEP_ALIVE_NOT_USED("", "MQTT-3.2.2-22",
            "without announcing a Server Keep Alive, the broker applies its own (60 s) instead of the client's"),

    // -- will
    WILL_ON_NORMAL_DISCONNECT("MQTT-3.14.4-3,MQTT-3.1.2-10", "MQTT-3.14.4-3,MQTT-3.1.2-10", "the will is published after a normal DISCONNECT"),
    WILL_NOT_PUBLISHED("MQTT-3.1.2-8", "MQTT-3.1.2-8,MQTT-3.1.2-7", "the will is not published when the connection is lost"),
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
    DUP_PROPAGATED("MQTT-3.3.1-3,MQTT-3.3.1-2,MQTT-4.3.2-1,MQTT-4.3.3-1", "MQTT-3.3.1-3,MQTT-3.3.1-2,MQTT-4.3.2-2,MQTT-4.3.3-2", "the incoming DUP flag is copied to subscribers"),
    QOS_NOT_DOWNGRADED("MQTT-3.8.4-6", "MQTT-3.8.4-8", "messages are delivered at the published QoS, above the granted QoS"),
    PUBACK_MISSING("MQTT-3.3.4-1,MQTT-4.3.2-2", "MQTT-3.3.4-1,MQTT-4.3.2-4", "a QoS 1 PUBLISH is not acknowledged"),
    PUBREC_MISSING("MQTT-3.3.4-1,MQTT-4.3.3-2", "MQTT-3.3.4-1,MQTT-4.3.3-8", "a QoS 2 PUBLISH is not answered with PUBREC"),
    QOS2_DUPLICATE_DELIVERED("MQTT-4.3.3-2", "MQTT-4.3.3-10", "a re-sent QoS 2 PUBLISH is delivered again before PUBREL"),
    PUBCOMP_MISSING("§4.3.3,MQTT-4.3.3-2", "MQTT-4.3.3-11", "PUBREL is not answered with PUBCOMP"),
    PUBREL_MISSING("MQTT-4.3.3-1", "MQTT-4.3.3-4", "PUBREC from a subscriber is not answered with PUBREL"),
    PACKET_ID_REUSED("MQTT-2.3.1-4,MQTT-4.3.2-1,MQTT-4.3.3-1", "MQTT-2.2.1-4,MQTT-4.3.2-1,MQTT-4.3.3-1", "a packet identifier still in flight is used again"),
    NO_RETRANSMIT_ON_RESUME("MQTT-4.4.0-1", "MQTT-4.4.0-1", "unacknowledged messages are not re-sent when the session resumes"),
    RETRANSMIT_WITHOUT_DUP("MQTT-3.3.1-1", "MQTT-3.3.1-1", "a re-sent PUBLISH has DUP 0"),
    OFFLINE_MESSAGES_DROPPED("MQTT-3.1.2-5,MQTT-4.5.0-1", "MQTT-4.5.0-1", "QoS 1 and 2 messages for a disconnected session are dropped"),
    ORDER_NOT_KEPT("MQTT-4.6.0-6,MQTT-4.6.0-5", "MQTT-4.6.0-5,MQTT-4.6.0-6", "queued messages are delivered newest first"),
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
    SUBACK_WRONG_PACKET_ID("MQTT-3.8.4-2,MQTT-2.3.1-7", "MQTT-3.8.4-2,MQTT-2.2.1-6", "SUBACK carries a different packet identifier"),
    SUBSCRIPTION_NOT_REPLACED("MQTT-3.8.4-3", "MQTT-3.8.4-3", "an identical filter adds a second subscription instead of replacing"),
    UNSUBACK_MISSING_WHEN_NONE("MQTT-3.10.4-5,MQTT-3.10.4-4", "MQTT-3.10.4-5,MQTT-3.10.4-4", "no UNSUBACK when nothing was unsubscribed"),
    UNSUBSCRIBE_IGNORED("MQTT-3.10.4-2", "MQTT-3.10.4-2", "messages keep flowing after UNSUBSCRIBE"),
    NO_LOCAL_IGNORED("", "MQTT-3.8.3-3", "messages are sent back to their publisher despite No Local"),
    DOLLAR_TOPIC_MATCHED_BY_WILDCARD("MQTT-4.7.2-1", "MQTT-4.7.2-1", "'#' and '+' at the start of a filter match '$' topics"),
    SUBSCRIPTION_IDENTIFIER_DROPPED("", "MQTT-3.3.4-3", "Subscription Identifiers are not sent with matching messages"),
    PINGRESP_MISSING("MQTT-3.12.4-1", "MQTT-3.12.4-1", "PINGREQ is not answered"),

    // -- errors
    MALFORMED_NOT_CLOSED("MQTT-4.8.0-1", "MQTT-4.13.1-1", "a malformed packet is skipped and the connection kept open"),
    DISCONNECT_WITH_SESSION_EXPIRY("", "MQTT-3.14.2-2", "the broker's DISCONNECT carries a Session Expiry Interval"),
    AUTH_METHOD_NOT_ECHOED("", "MQTT-4.12.0-5", "the CONNACK after enhanced authentication lacks the Authentication Method"),

    // -- CONNECT checks
    PROTOCOL_NAME_NOT_CHECKED("MQTT-3.1.2-1", "MQTT-3.1.2-1",
            "the protocol name is not checked: a CONNECT named 'MQTX' is accepted, its level picks the version"),
    UNSUPPORTED_PROTOCOL_LEVEL_KEPT_OPEN("MQTT-3.1.2-2", "MQTT-3.1.2-2",
            "an unsupported protocol level gets its refusing CONNACK, but the connection is left open"),
    CONNECT_RESERVED_FLAG_NOT_CHECKED("MQTT-3.1.2-3,MQTT-3.1.4-1", "MQTT-3.1.2-3,MQTT-3.1.4-1",
            "the CONNECT reserved flag is not checked: a CONNECT with it set is accepted"),
    MALFORMED_CONNECT_NOT_CLOSED("MQTT-3.1.4-1", "MQTT-3.1.4-1",
            "a malformed CONNECT is ignored, and so is all that follows, but the connection is left open"),
    MALFORMED_CONNECT_ANSWERED_WITH_CONNACK("MQTT-3.1.4-1", "",
            "a malformed CONNECT is answered with CONNACK 0x02 before the close"),
    DISCONNECT_BEFORE_CONNACK("", "MQTT-3.14.0-1,MQTT-3.2.0-1",
            "a malformed CONNECT is answered with DISCONNECT 0x81 instead of a CONNACK"),
    CLIENT_ID_OF_23_BYTES_REFUSED("MQTT-3.1.3-5", "MQTT-3.1.3-5",
            "a Client Identifier of 23 bytes is refused (off by one: only up to 22 accepted)"),
    ASSIGNED_CLIENT_ID_NOT_UNIQUE("MQTT-3.1.3-6", "MQTT-3.1.3-6,MQTT-3.2.2-16",
            "every zero-length Client Identifier is assigned the same identifier"),
    LONG_CLIENT_ID_REFUSED_WITHOUT_CLOSE("MQTT-3.1.3-9", "MQTT-3.1.3-8",
            "a Client Identifier longer than 23 bytes is refused (CONNACK 0x02 / 0x85) but the connection left open"),
    ACCEPTED_WITH_REFUSAL_CODE("MQTT-3.1.4-4", "MQTT-3.1.4-5",
            "an accepted client is served, but its CONNACK says 0x05 / 0x87 Not authorized"),
    SESSION_PRESENT_FOR_NEW_SESSION("MQTT-3.2.2-3", "MQTT-3.2.2-3",
            "Session Present is 1 for a Clean Start 0 connection that had no stored session"),
    NEW_PERSISTENT_SESSION_NOT_KEPT("MQTT-3.1.2-4", "MQTT-3.1.2-6",
            "a session created by a Clean Start 0 CONNECT ends with its connection"),
    QUEUED_SENT_BEFORE_CONNACK("MQTT-3.2.0-1", "MQTT-3.2.0-1",
            "on resuming a session, queued messages are sent before the CONNACK"),
    SECOND_CONNECT_ANSWERED("", "MQTT-3.2.0-2",
            "a second CONNECT is answered with another CONNACK before the connection is closed"),
    CONNACK_RESERVED_FLAGS_SET("", "MQTT-3.2.2-1",
            "the CONNACK Acknowledge Flags have a reserved bit set"),
    CONNACK_311_RETURN_CODES("", "MQTT-3.2.2-8",
            "5.0 refusals carry the 3.1.1 return code numbers (0x01 to 0x05)"),
    REFUSED_CONNECT_DATA_PROCESSED("MQTT-3.1.4-5", "MQTT-3.1.4-6",
            "a PUBLISH sent right after a refused CONNECT is still delivered"),
    BAD_PASSWORD_KEPT_OPEN("MQTT-3.2.2-5", "MQTT-3.1.4-2,MQTT-3.2.2-7",
            "a wrong password is refused with CONNACK, but the connection is left open"),

    // -- limits the broker announces (these apply to a broker configured with them: reference-limited)
    MAXIMUM_QOS_NOT_ANNOUNCED(Needs.LIMITS, "", "MQTT-3.2.2-9",
            "a broker limited to QoS 1 does not say so in CONNACK (and still refuses QoS 2)"),
    QOS2_SUBSCRIPTION_REFUSED_WHEN_LIMITED(Needs.LIMITS, "", "MQTT-3.2.2-10",
            "a broker limited to QoS 1 refuses a SUBSCRIBE at QoS 2 instead of granting QoS 1"),
    WILL_QOS_ABOVE_MAXIMUM_ACCEPTED(Needs.LIMITS, "", "MQTT-3.2.2-12",
            "a Will QoS above the announced Maximum QoS is accepted"),
    RETAINED_WILL_ACCEPTED_WITHOUT_RETAIN(Needs.LIMITS, "", "MQTT-3.2.2-13",
            "a Will with Will Retain 1 is accepted by a broker that announces Retain Available 0"),
    REASON_STRING_IGNORES_MAXIMUM_PACKET_SIZE("", "MQTT-3.2.2-19,MQTT-3.9.2-1,MQTT-3.11.2-1,MQTT-3.1.2-24",
            "CONNACK, SUBACK and UNSUBACK keep their Reason String even when that exceeds the client's Maximum Packet Size"),
    USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE("", "MQTT-3.2.2-20,MQTT-3.9.2-2,MQTT-3.11.2-2,MQTT-3.1.2-24",
            "CONNACK, SUBACK and UNSUBACK carry a diagnostic User Property whatever the client's Maximum Packet Size"),

    // -- authentication
    UNSUPPORTED_AUTH_METHOD_KEPT_OPEN("", "MQTT-4.12.0-1",
            "an unknown Authentication Method is refused with CONNACK 0x8C, but the connection is left open"),
    AUTH_CONTINUE_WRONG_REASON_CODE("", "MQTT-4.12.0-2",
            "the broker's AUTH asking for more data carries 0x19 (Re-authenticate) instead of 0x18"),
    FAILED_AUTHENTICATION_KEPT_OPEN("", "MQTT-4.12.0-4",
            "a failed enhanced authentication is refused with CONNACK, but the connection is left open"),
    AUTH_METHOD_ANNOUNCED_UNASKED("", "MQTT-4.12.0-6",
            "the CONNACK of a plain CONNECT names the broker's Authentication Method"),

    // -- will, retain, sessions
    WILL_KEPT_AFTER_DISCONNECT("MQTT-3.1.2-12,MQTT-3.1.2-10", "MQTT-3.1.2-10",
            "a Will removed by DISCONNECT stays in the session and goes out when a later connection without a Will drops"),
    WILL_USER_PROPERTIES_REORDERED("", "MQTT-3.1.3-10", "the Will's User Properties are published in reverse order"),
    RETAINED_DELETED_WITH_SESSION("MQTT-3.1.2-7", "",
            "retained messages are deleted when the session of their publisher ends"),
    RETAINED_QOS0_IGNORED("MQTT-3.3.1-7", "",
            "a retained QoS 0 PUBLISH is not stored and the older retained message is kept"),

    // -- delivery
    PLUS_MATCHES_SEVERAL_LEVELS("MQTT-3.3.2-3", "MQTT-3.3.2-3", "'+' matches more than one topic level"),
    OVERLAP_LOWEST_QOS("MQTT-3.3.5-1", "MQTT-3.3.4-2", "overlapping subscriptions deliver at the lowest of their QoS"),
    UNAUTHORIZED_PUBLISH_NOT_ACKNOWLEDGED(Needs.DENIED_TOPIC, "MQTT-3.3.5-2", "",
            "a QoS 1 / 2 PUBLISH the client may not make is neither acknowledged nor answered by a close"),
    TOPIC_ALIAS_ABOVE_CLIENT_MAXIMUM("", "MQTT-3.1.2-26,MQTT-3.3.2-11",
            "Topic Aliases go one above the client's Topic Alias Maximum"),
    CLIENT_TOPIC_ALIAS_MAXIMUM_REFUSED("", "MQTT-3.3.2-12",
            "a Topic Alias equal to the announced Topic Alias Maximum is refused (off by one)"),
    SUBSCRIPTION_IDENTIFIERS_ONLY_FIRST("", "MQTT-3.3.4-4,MQTT-3.3.4-3",
            "a message matching several subscriptions carries only the first one's Subscription Identifier"),
    COPY_PER_SUBSCRIPTION_WRONG_IDENTIFIER("", "MQTT-3.3.4-5",
            "a copy per matching subscription, each carrying the first subscription's identifier"),
    NON_PUBLISH_HELD_AT_RECEIVE_MAXIMUM("", "MQTT-3.3.4-10",
            "with the client's Receive Maximum used up, PINGRESP, SUBACK and UNSUBACK wait until a PUBLISH is acknowledged"),
    TOPIC_MATCHING_IGNORES_CASE("MQTT-4.7.3-4", "MQTT-4.7.3-4", "topics are matched without regard to case"),
    WEBSOCKET_SUBPROTOCOL_NOT_SELECTED("MQTT-6.0.0-4", "MQTT-6.0.0-4",
            "the WebSocket handshake does not select the subprotocol 'mqtt'"),

    // -- subscribe, unsubscribe
    WILDCARD_GRANTED_BUT_NEVER_MATCHED("MQTT-3.8.3-2", "",
            "wildcard filters are granted but never match (a broker without wildcard support that does not refuse them)"),
    SUBSCRIBE_BAD_OPTIONS_NOT_CLOSED("MQTT-3.8.3-4", "MQTT-3.8.3-5",
            "a SUBSCRIBE with reserved option bits set (or QoS 3) is passed over and the connection left open"),
    SUBACK_MISSING_ON_RESUBSCRIBE("MQTT-3.8.4-1", "MQTT-3.8.4-1", "a SUBSCRIBE that only replaces subscriptions gets no SUBACK"),
    SUBSCRIBE_ONLY_FIRST_FILTER("MQTT-3.8.4-4", "MQTT-3.8.4-5",
            "only the first filter of a SUBSCRIBE takes effect, though the SUBACK has a code for each"),
    SUBACK_SINGLE_CODE("MQTT-3.8.4-5", "MQTT-3.8.4-6", "the SUBACK carries one code whatever the number of filters"),
    SUBACK_CODES_REVERSED("MQTT-3.9.3-1", "MQTT-3.9.3-1", "the SUBACK codes are in the reverse order of the filters"),
    SUBACK_UNDEFINED_FAILURE_CODE("MQTT-3.9.3-2", "MQTT-3.9.3-2",
            "filters beginning with '$' are refused with a code the version does not define (0x87 in 3.1.1, 0x82 in 5.0)"),
    SUBACK_GRANTS_MAXIMUM_QOS("MQTT-3.8.4-5", "MQTT-3.8.4-7", "every filter is granted the broker's maximum QoS, above what was asked"),
    RESUBSCRIBE_SENDS_NO_RETAINED("MQTT-3.8.4-3", "MQTT-3.8.4-4,MQTT-3.3.1-9",
            "replacing a subscription does not send the retained messages again"),
    UNSUBSCRIBE_MATCHES_WILDCARDS("MQTT-3.10.4-1", "MQTT-3.10.4-1",
            "UNSUBSCRIBE removes every subscription its filter matches, not only the identical one"),
    UNSUBSCRIBE_ABANDONS_INFLIGHT("MQTT-3.10.4-3", "MQTT-3.10.4-3",
            "UNSUBSCRIBE drops the QoS 2 deliveries already begun for it: their PUBREC gets no PUBREL"),
    UNSUBACK_WRONG_PACKET_ID("MQTT-3.10.4-4,MQTT-2.3.1-7", "MQTT-3.10.4-5,MQTT-2.2.1-6",
            "UNSUBACK carries a different packet identifier"),
    UNSUBSCRIBE_ONLY_FIRST_FILTER("MQTT-3.10.4-6", "MQTT-3.10.4-6", "only the first filter of an UNSUBSCRIBE is removed"),
    UNSUBACK_CODES_REVERSED("", "MQTT-3.11.3-1", "the UNSUBACK codes are in the reverse order of the filters"),
    UNSUBACK_UNDEFINED_CODE("", "MQTT-3.11.3-2", "'no subscription existed' is answered with 0x10 instead of 0x11"),
    DISCONNECT_RESERVED_FLAGS_IGNORED("MQTT-3.14.1-1", "MQTT-3.14.1-1",
            "a DISCONNECT with reserved flags set is passed over and the connection left open"),

    // -- shared subscriptions
    SHARED_QOS_NOT_DOWNGRADED("", "MQTT-4.8.2-3", "shared subscriptions deliver at the published QoS, above the member's granted QoS"),
    SHARED_INFLIGHT_NOT_RESUMED("", "MQTT-4.8.2-4",
            "a shared QoS 2 delivery cut short by a disconnect is not completed when the member's session resumes"),
    SHARED_INFLIGHT_REDISPATCHED("", "MQTT-4.8.2-5",
            "when a member's session ends mid QoS 2 delivery, the message is sent to another member"),
    SHARED_REFUSED_REDISPATCHED("", "MQTT-4.8.2-6",
            "a shared message a member refuses (PUBACK / PUBREC 0x80+) is offered to another member");

    /** What a broker must be configured with for a fault to show. */
    public enum Needs {
        /** Nothing beyond the defaults. */
        NOTHING,
        /** Limits announced in CONNACK (Maximum QoS 1, Retain Available 0): brokers.yaml {@code reference-limited}. */
        LIMITS,
        /** A topic the client may not publish to ({@code --deny-publish}; brokers.yaml {@code reference} has one). */
        DENIED_TOPIC
    }

    private final Needs needs;
    private final String v311;
    private final String v5;
    private final String mistake;

    Fault(String v311, String v5, String mistake) {
        this(Needs.NOTHING, v311, v5, mistake);
    }

    Fault(Needs needs, String v311, String v5, String mistake) {
        this.needs = needs;
        this.v311 = v311;
        this.v5 = v5;
        this.mistake = mistake;
    }

    /** What the broker must be configured with for this fault to show. */
    public Needs needs() {
        return needs;
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
