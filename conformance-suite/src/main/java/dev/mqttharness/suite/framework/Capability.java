package dev.mqttharness.suite.framework;

/**
 * Features a broker may lack. A scenario that needs one asks {@link ScenarioContext#require}; if the
 * target declares it lacks it (brokers.yaml) or announces so in its CONNACK, the scenario's
 * statements are UNSUPPORTED, not FAIL.
 */
public enum Capability {
    RETAIN("retain"),
    WILDCARD_SUBSCRIPTIONS("wildcard-subscriptions"),
    SUBSCRIPTION_IDENTIFIERS("subscription-identifiers"),
    SHARED_SUBSCRIPTIONS("shared-subscriptions"),
    QOS1("qos1"),
    QOS2("qos2"),
    TOPIC_ALIASES("topic-alias"),
    WILL_DELAY("will-delay"),
    SESSION_EXPIRY("session-expiry"),
    ENHANCED_AUTH("enhanced-auth"),
    USERNAME_PASSWORD("username-password"),
    WEBSOCKET("websocket"),
    TLS("tls"),
    ZERO_LENGTH_CLIENT_ID("zero-length-client-id"),
    PERSISTENT_SESSIONS("persistent-sessions"),
    MQTT_3_1("mqtt-3.1");

    private final String key;

    Capability(String key) {
        this.key = key;
    }

    /** The name used in brokers.yaml {@code lacks}. */
    public String key() {
        return key;
    }
}
