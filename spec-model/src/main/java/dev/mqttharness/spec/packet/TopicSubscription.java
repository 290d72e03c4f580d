package dev.mqttharness.spec.packet;

/**
 * One Topic Filter of a SUBSCRIBE with its Subscription Options (§3.8.3.1). In 3.1.1 only the
 * filter and QoS exist; the 5.0 options must then be false / 0. {@code retainHandling} is an int so
 * that the reserved value 3 can be sent on purpose.
 */
public record TopicSubscription(TopicFilter filter, QoS qos, boolean noLocal, boolean retainAsPublished,
                                int retainHandling) {

    public static TopicSubscription of(String filter, QoS qos) {
        return new TopicSubscription(TopicFilter.of(filter), qos, false, false, 0);
    }

    public TopicSubscription withNoLocal(boolean b) {
        return new TopicSubscription(filter, qos, b, retainAsPublished, retainHandling);
    }

    public TopicSubscription withRetainAsPublished(boolean b) {
        return new TopicSubscription(filter, qos, noLocal, b, retainHandling);
    }

    public TopicSubscription withRetainHandling(int rh) {
        return new TopicSubscription(filter, qos, noLocal, retainAsPublished, rh);
    }

    /** The Subscription Options byte (5.0) or requested-QoS byte (3.1.1). */
    public int optionsByte() {
        return qos.value() | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | ((retainHandling & 0x03) << 4);
    }
}
