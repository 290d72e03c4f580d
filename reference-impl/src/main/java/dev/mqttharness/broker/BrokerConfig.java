package dev.mqttharness.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a reference broker is set up: listeners, the capabilities it announces in CONNACK,
 * authentication and access control, and fault switches (off unless named).
 *
 * @param host                 address to bind, loopback by default
 * @param port                 TCP port; 0 picks a free one
 * @param tlsPort              TLS port, or null for none; 0 picks a free one
 * @param tls                  certificates for the TLS listener
 * @param wsPort               WebSocket port, or null for none; 0 picks a free one
 * @param wsPath               WebSocket path (subprotocol "mqtt")
 * @param limits               what the broker announces and enforces (Receive Maximum, Maximum QoS, ...)
 * @param allowAnonymous       whether a CONNECT without a user name is accepted
 * @param users                user name to password; empty means no password check
 * @param acl                  per-client publish / subscribe rules; empty allows everything
 * @param faults               fault switches to enable, by ID (see {@code Faults}); never reachable by a client
 */
public record BrokerConfig(
        String host,
        int port,
        Integer tlsPort,
        TlsSettings tls,
        Integer wsPort,
        String wsPath,
        Limits limits,
        boolean allowAnonymous,
        Map<String, String> users,
        List<AclRule> acl,
        Set<String> faults) {

    public BrokerConfig {
        host = host == null ? "127.0.0.1" : host;
        wsPath = wsPath == null ? "/mqtt" : wsPath;
        limits = limits == null ? Limits.DEFAULTS : limits;
        users = Map.copyOf(users == null ? Map.of() : users);
        acl = List.copyOf(acl == null ? List.of() : acl);
        faults = Set.copyOf(faults == null ? Set.of() : faults);
    }

    public static BrokerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.tlsPort = tlsPort;
        b.tls = tls;
        b.wsPort = wsPort;
        b.wsPath = wsPath;
        b.limits = limits;
        b.allowAnonymous = allowAnonymous;
        b.users.putAll(users);
        b.acl = acl;
        b.faults.addAll(faults);
        return b;
    }

    /** Certificates for TLS; {@code clientCa} set means clients must present a certificate it signed. */
    public record TlsSettings(Path certificateChain, Path privateKey, Path clientCa) {
    }

    /**
     * What the broker announces in CONNACK (5.0) and enforces.
     *
     * @param maximumPacketSize    largest packet accepted from a client
     * @param receiveMaximum       QoS 1/2 PUBLISHes a client may have unacknowledged
     * @param topicAliasMaximum    topic aliases a client may use
     * @param maximumQos           highest QoS accepted for PUBLISH (0..2)
     * @param retainAvailable      retained messages supported
     * @param wildcardAvailable    wildcard subscriptions supported
     * @param subscriptionIdentifiersAvailable subscription identifiers supported
     * @param sharedAvailable      shared subscriptions supported
     * @param serverKeepAlive      Keep Alive the broker imposes, or null to use the client's
     * @param maximumSessionExpiry cap on Session Expiry Interval, seconds
     * @param maxQueuedMessages    messages queued per offline or throttled session before dropping
     */
    public record Limits(
            int maximumPacketSize,
            int receiveMaximum,
            int topicAliasMaximum,
            int maximumQos,
            boolean retainAvailable,
            boolean wildcardAvailable,
            boolean subscriptionIdentifiersAvailable,
            boolean sharedAvailable,
            Integer serverKeepAlive,
            long maximumSessionExpiry,
            int maxQueuedMessages) {

        public static final Limits DEFAULTS = new Limits(
                1 << 20, 65_535, 65_535, 2, true, true, true, true, null, 0xFFFF_FFFFL, 10_000);

        public Limits withMaximumQos(int q) {
            return new Limits(maximumPacketSize, receiveMaximum, topicAliasMaximum, q, retainAvailable,
                    wildcardAvailable, subscriptionIdentifiersAvailable, sharedAvailable, serverKeepAlive,
                    maximumSessionExpiry, maxQueuedMessages);
        }

        public Limits withMaximumPacketSize(int n) {
            return new Limits(n, receiveMaximum, topicAliasMaximum, maximumQos, retainAvailable, wildcardAvailable,
                    subscriptionIdentifiersAvailable, sharedAvailable, serverKeepAlive, maximumSessionExpiry, maxQueuedMessages);
        }

        public Limits withReceiveMaximum(int n) {
            return new Limits(maximumPacketSize, n, topicAliasMaximum, maximumQos, retainAvailable, wildcardAvailable,
                    subscriptionIdentifiersAvailable, sharedAvailable, serverKeepAlive, maximumSessionExpiry, maxQueuedMessages);
        }

        public Limits withTopicAliasMaximum(int n) {
            return new Limits(maximumPacketSize, receiveMaximum, n, maximumQos, retainAvailable, wildcardAvailable,
                    subscriptionIdentifiersAvailable, sharedAvailable, serverKeepAlive, maximumSessionExpiry, maxQueuedMessages);
        }

        /** Features switched off: retained messages, wildcard, subscription identifier or shared subscriptions. */
        public Limits without(boolean retain, boolean wildcard, boolean subscriptionIds, boolean shared) {
            return new Limits(maximumPacketSize, receiveMaximum, topicAliasMaximum, maximumQos,
                    retainAvailable && !retain, wildcardAvailable && !wildcard,
                    subscriptionIdentifiersAvailable && !subscriptionIds, sharedAvailable && !shared, serverKeepAlive,
                    maximumSessionExpiry, maxQueuedMessages);
        }

        public Limits withServerKeepAlive(Integer seconds) {
            return new Limits(maximumPacketSize, receiveMaximum, topicAliasMaximum, maximumQos, retainAvailable,
                    wildcardAvailable, subscriptionIdentifiersAvailable, sharedAvailable, seconds, maximumSessionExpiry,
                    maxQueuedMessages);
        }
    }

    /**
     * An access rule: clients whose identifier or user name matches {@code who} ("*" for any) may or
     * may not publish / subscribe to topics matching {@code topicFilter}. First matching rule wins.
     */
    public record AclRule(String who, Access access, String topicFilter, boolean allow) {
        public enum Access { PUBLISH, SUBSCRIBE, BOTH }
    }

    /** Builds a config; defaults: loopback, free TCP port, no TLS, no WebSocket, anonymous allowed. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Integer tlsPort;
        private TlsSettings tls;
        private Integer wsPort;
        private String wsPath = "/mqtt";
        private Limits limits = Limits.DEFAULTS;
        private boolean allowAnonymous = true;
        private final Map<String, String> users = new LinkedHashMap<>();
        private List<AclRule> acl = List.of();
        private final Set<String> faults = new TreeSet<>();

        public Builder host(String h) {
            this.host = h;
            return this;
        }

        public Builder port(int p) {
            this.port = p;
            return this;
        }

        public Builder tls(int port, TlsSettings settings) {
            this.tlsPort = port;
            this.tls = settings;
            return this;
        }

        public Builder webSocket(int port, String path) {
            this.wsPort = port;
            this.wsPath = path;
            return this;
        }

        public Builder limits(Limits l) {
            this.limits = l;
            return this;
        }

        public Builder allowAnonymous(boolean b) {
            this.allowAnonymous = b;
            return this;
        }

        public Builder user(String name, String password) {
            this.users.put(name, password);
            return this;
        }

        public Builder acl(List<AclRule> rules) {
            this.acl = rules;
            return this;
        }

        public Builder fault(String id) {
            this.faults.add(id);
            return this;
        }

        public BrokerConfig build() {
            return new BrokerConfig(host, port, tlsPort, tls, wsPort, wsPath, limits, allowAnonymous, users, acl, faults);
        }
    }
}
