package dev.mqttharness.fuzz.gen;

import dev.mqttharness.spec.packet.QoS;
import java.util.List;
import java.util.StringJoiner;

/**
 * One step of a fuzz case, for one of up to three clients (0..2). Topics and filters are relative:
 * the runner puts each case under its own topic prefix and gives each client its own identifier, so
 * cases run concurrently against one broker without seeing each other. A step on a client that is
 * not connected connects it first with a plain CONNECT (clean start, no will).
 */
public sealed interface Action {
    /** The relative topic that stands for a topic padded to the maximum length of 65,535 bytes. */
    String MAX_TOPIC = "<max>";

    /** The client this step acts for, or -1. */
    int client();

    /** One readable line. */
    String describe();

    /** A will: relative topic, QoS, retain, Will Delay Interval (5.0), payload size. */
    record WillSpec(String topic, QoS qos, boolean retain, int delaySeconds, int payloadSize) {
        String describe() {
            return "will " + topic + " qos" + qos.value() + (retain ? " retained" : "")
                    + (delaySeconds > 0 ? " delay=" + delaySeconds + "s" : "") + " " + payloadSize + "B";
        }
    }

    /**
     * CONNECT on a new connection (a second CONNECT for a client that is connected takes its session
     * over on a new connection).
     *
     * @param sessionExpiry    5.0 Session Expiry Interval, seconds (0: none)
     * @param receiveMaximum   5.0 Receive Maximum (0: absent)
     * @param topicAliasMaximum 5.0 Topic Alias Maximum the client accepts (0: absent)
     * @param maximumPacketSize 5.0 Maximum Packet Size (0: absent)
     * @param withholdAcks     the client does not acknowledge what it receives until an {@link Ack}
     * @param problemInfoOff   5.0 Request Problem Information 0
     * @param responseInfo     5.0 Request Response Information 1
     * @param emptyClientId    zero-length Client Identifier (the server assigns one)
     * @param credentials      send a user name and password
     */
    record Connect(int client, boolean cleanStart, int keepAlive, WillSpec will, long sessionExpiry,
                   int receiveMaximum, int topicAliasMaximum, long maximumPacketSize, boolean withholdAcks,
                   boolean problemInfoOff, boolean responseInfo, boolean emptyClientId, boolean credentials)
            implements Action {

        public static Connect plain(int client) {
            return new Connect(client, true, 0, null, 0, 0, 0, 0, false, false, false, false, false);
        }

        @Override
        public String describe() {
            StringJoiner j = new StringJoiner(" ", "c" + client + " CONNECT ", "");
            j.add(cleanStart ? "clean" : "resume").add("keepAlive=" + keepAlive);
            if (sessionExpiry > 0) {
                j.add("sessionExpiry=" + sessionExpiry);
            }
            if (receiveMaximum > 0) {
                j.add("receiveMaximum=" + receiveMaximum);
            }
            if (topicAliasMaximum > 0) {
                j.add("topicAliasMaximum=" + topicAliasMaximum);
            }
            if (maximumPacketSize > 0) {
                j.add("maximumPacketSize=" + maximumPacketSize);
            }
            if (will != null) {
                j.add(will.describe());
            }
            if (withholdAcks) {
                j.add("withholds-acks");
            }
            if (problemInfoOff) {
                j.add("requestProblemInformation=0");
            }
            if (responseInfo) {
                j.add("requestResponseInformation=1");
            }
            if (emptyClientId) {
                j.add("empty-client-id");
            }
            if (credentials) {
                j.add("with-credentials");
            }
            return j.toString();
        }
    }

    /** One topic filter of a SUBSCRIBE; {@code shareName} non-null makes it {@code $share/name/filter} (5.0). */
    record Sub(String filter, QoS qos, boolean noLocal, boolean retainAsPublished, int retainHandling, String shareName) {
        String describe() {
            return (shareName != null ? "$share/" + shareName + "/" : "") + filter + "@" + qos.value()
                    + (noLocal ? " nl" : "") + (retainAsPublished ? " rap" : "")
                    + (retainHandling != 0 ? " rh=" + retainHandling : "");
        }
    }

    record Subscribe(int client, List<Sub> subs, long subscriptionId) implements Action {
        public Subscribe {
            subs = List.copyOf(subs);
        }

        @Override
        public String describe() {
            StringJoiner j = new StringJoiner(", ", "c" + client + " SUBSCRIBE ", "");
            subs.forEach(s -> j.add(s.describe()));
            return j + (subscriptionId > 0 ? " subscriptionId=" + subscriptionId : "");
        }
    }

    record Unsubscribe(int client, List<String> filters) implements Action {
        public Unsubscribe {
            filters = List.copyOf(filters);
        }

        @Override
        public String describe() {
            return "c" + client + " UNSUBSCRIBE " + String.join(", ", filters);
        }
    }

    /**
     * PUBLISH with a payload unique to the case.
     *
     * @param dupResend  QoS 2: send the PUBLISH again with DUP 1 before releasing it
     * @param holdPubrel QoS 2: do not send PUBREL (the message stays unreleased)
     * @param useAlias   5.0: set a Topic Alias (and reuse it with an empty topic when it is mapped)
     * @param userProperties 5.0: number of User Properties
     */
    record Publish(int client, String topic, QoS qos, boolean retain, int payloadSize, boolean dupResend,
                   boolean holdPubrel, boolean useAlias, int userProperties) implements Action {
        @Override
        public String describe() {
            return "c" + client + " PUBLISH " + topic + " qos" + qos.value() + (retain ? " retained" : "")
                    + " " + payloadSize + "B" + (dupResend ? " +DUP-resend" : "") + (holdPubrel ? " PUBREL-withheld" : "")
                    + (useAlias ? " topic-alias" : "") + (userProperties > 0 ? " userProperties=" + userProperties : "");
        }
    }

    /** Acknowledges what a withholding client has received so far. */
    record Ack(int client) implements Action {
        @Override
        public String describe() {
            return "c" + client + " ACK received";
        }
    }

    /**
     * Ends a client's connection: DISCONNECT then close, or an abrupt close (the will goes out).
     *
     * @param withWill      5.0: DISCONNECT 0x04 (Disconnect with Will Message)
     * @param sessionExpiry 5.0: Session Expiry Interval on DISCONNECT, or -1 for none
     */
    record Disconnect(int client, boolean abrupt, boolean withWill, long sessionExpiry) implements Action {
        @Override
        public String describe() {
            if (abrupt) {
                return "c" + client + " drops the connection (no DISCONNECT)";
            }
            return "c" + client + " DISCONNECT" + (withWill ? " 0x04" : "") + (sessionExpiry >= 0 ? " sessionExpiry=" + sessionExpiry : "");
        }
    }

    /** Lets a little time pass: returns early if a connection closes meanwhile. */
    record Wait(int millis) implements Action {
        @Override
        public int client() {
            return -1;
        }

        @Override
        public String describe() {
            return "wait up to " + millis + " ms";
        }
    }

    /** A valid packet at a boundary of the format (see {@link Boundary}). */
    record BoundaryPacket(int client, Boundary kind, int variant) implements Action {
        @Override
        public String describe() {
            return "c" + client + " " + kind.describe(variant);
        }
    }

    /** A labelled malformed or out-of-place packet, followed by a PINGREQ (see {@link Mutation}). */
    record Malformed(int client, Mutation mutation, int variant) implements Action {
        @Override
        public String describe() {
            return "c" + client + " " + mutation.describe(variant);
        }
    }
}
