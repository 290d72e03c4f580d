package dev.mqttharness.spec.packet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * The properties of an MQTT 5 packet, in wire order. Order matters: User Properties must be
 * forwarded in the order received (MQTT-3.3.2-18). Duplicates are representable so that a harness
 * can send them; the strict encoder and decoder reject them.
 */
public final class Properties {
    public static final Properties EMPTY = new Properties(List.of());

    private final List<Property> list;

    private Properties(List<Property> list) {
        this.list = list;
    }

    public static Properties of(List<Property> list) {
        return list.isEmpty() ? EMPTY : new Properties(List.copyOf(list));
    }

    public static Properties of(Property... props) {
        return of(List.of(props));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.list.addAll(list);
        return b;
    }

    public List<Property> list() {
        return list;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    public boolean has(PropertyId id) {
        for (Property p : list) {
            if (p.id() == id) {
                return true;
            }
        }
        return false;
    }

    public Property first(PropertyId id) {
        for (Property p : list) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    public OptionalLong number(PropertyId id) {
        Property p = first(id);
        return p == null ? OptionalLong.empty() : OptionalLong.of(p.number());
    }

    public long number(PropertyId id, long absent) {
        Property p = first(id);
        return p == null ? absent : p.number();
    }

    /** The first string value of {@code id}, or null. */
    public Utf8String string(PropertyId id) {
        Property p = first(id);
        return p == null ? null : p.string();
    }

    /** The first binary value of {@code id}, or null. */
    public BinaryData binary(PropertyId id) {
        Property p = first(id);
        return p == null ? null : p.binary();
    }

    /** Every value of a repeatable numeric property, in order (e.g. Subscription Identifiers). */
    public List<Long> numbers(PropertyId id) {
        List<Long> out = new ArrayList<>(2);
        for (Property p : list) {
            if (p.id() == id) {
                out.add(p.number());
            }
        }
        return out;
    }

    public List<StringPair> userProperties() {
        List<StringPair> out = null;
        for (Property p : list) {
            if (p.id() == PropertyId.USER_PROPERTY) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(p.pair());
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /** These properties without any of {@code ids}. */
    public Properties without(PropertyId... ids) {
        List<Property> out = new ArrayList<>(list.size());
        outer:
        for (Property p : list) {
            for (PropertyId id : ids) {
                if (p.id() == id) {
                    continue outer;
                }
            }
            out.add(p);
        }
        return out.size() == list.size() ? this : of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties && list.equals(((Properties) o).list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return list.toString();
    }

    /** Builds properties in the order they are added. */
    public static final class Builder {
        private final List<Property> list = new ArrayList<>();

        public Builder add(Property p) {
            list.add(p);
            return this;
        }

        public Builder number(PropertyId id, long value) {
            return add(Property.number(id, value));
        }

        public Builder string(PropertyId id, String value) {
            return add(Property.string(id, value));
        }

        public Builder binary(PropertyId id, BinaryData value) {
            return add(Property.binary(id, value));
        }

        public Builder userProperty(String name, String value) {
            return add(Property.userProperty(name, value));
        }

        /** Replaces every value of {@code id} by {@code p}, keeping the first one's position. */
        public Builder set(Property p) {
            int at = -1;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).id() == p.id()) {
                    list.remove(i);
                    at = i;
                }
            }
            if (at < 0) {
                list.add(p);
            } else {
                list.add(at, p);
            }
            return this;
        }

        public Builder remove(PropertyId id) {
            list.removeIf(p -> p.id() == id);
            return this;
        }

        public Properties build() {
            return Properties.of(list);
        }
    }
}
