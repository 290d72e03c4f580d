package dev.mqttharness.broker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Topic filters indexed level by level, so matching a topic name walks only the branches it can
 * match: the literal level, '+' and '#'. Filters starting with a wildcard are not matched against
 * topics starting with '$' (MQTT-4.7.2-1). Levels are compared exactly, without normalisation
 * (MQTT-4.7.3-4).
 */
final class SubscriptionTree<T> {
    private static final class Node<T> {
        final Map<String, Node<T>> children = new HashMap<>(4);
        final List<T> entries = new ArrayList<>(1);
    }

    private final Node<T> root = new Node<>();

    void add(String filter, T entry) {
        Node<T> n = root;
        for (String level : split(filter)) {
            n = n.children.computeIfAbsent(level, k -> new Node<>());
        }
        n.entries.add(entry);
    }

    boolean remove(String filter, T entry) {
        Node<T> n = root;
        for (String level : split(filter)) {
            n = n.children.get(level);
            if (n == null) {
                return false;
            }
        }
        return n.entries.remove(entry);
    }

    /**
     * Topic names recently matched, split into levels: publishers repeat topics, and splitting
     * (a substring per level) was a visible share of the routing cost under load (JFR). Bounded.
     */
    private final Map<String, String[]> splitCache = new HashMap<>();
    private static final int SPLIT_CACHE_MAX = 4096;

    /** Calls {@code visitor} for every entry whose filter matches {@code topic}. */
    void match(String topic, Consumer<T> visitor) {
        if (root.children.isEmpty() && root.entries.isEmpty()) {
            return; // nothing subscribed: no need to split
        }
        String[] levels = splitCache.get(topic);
        if (levels == null) {
            if (splitCache.size() >= SPLIT_CACHE_MAX) {
                splitCache.clear();
            }
            levels = split(topic);
            splitCache.put(topic, levels);
        }
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        match(root, levels, 0, dollar, visitor);
    }

    private void match(Node<T> n, String[] levels, int i, boolean dollar, Consumer<T> visitor) {
        boolean wildcardsAllowed = !(dollar && i == 0);
        if (wildcardsAllowed) {
            Node<T> hash = n.children.get("#");
            if (hash != null) {
                // '#' also matches the parent level: "a/#" matches "a"
                hash.entries.forEach(visitor);
            }
        }
        if (i == levels.length) {
            n.entries.forEach(visitor);
            return;
        }
        Node<T> exact = n.children.get(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollar, visitor);
        }
        if (wildcardsAllowed) {
            Node<T> plus = n.children.get("+");
            if (plus != null) {
                match(plus, levels, i + 1, dollar, visitor);
            }
        }
    }

    /** Splits on '/', keeping empty levels ("/a/" has three levels). */
    static String[] split(String s) {
        int count = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '/') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '/') {
                out[k++] = s.substring(start, i);
                start = i + 1;
            }
        }
        out[k] = s.substring(start);
        return out;
    }
}
