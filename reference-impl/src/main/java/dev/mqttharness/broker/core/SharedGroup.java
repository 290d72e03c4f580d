package dev.mqttharness.broker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One Shared Subscription ({@code $share/{name}/{filter}}): the sessions subscribed to it. Each
 * message goes to one of them, chosen round-robin among those connected, else among all.
 */
final class SharedGroup {
    final String key;
    final String matchFilter;
    final List<Subscription> members = new ArrayList<>(2);
    private int next;

    SharedGroup(String key, String matchFilter) {
        this.key = key;
        this.matchFilter = matchFilter;
    }

    /** Another member than {@code not}, connected ones first, or null (faults that re-dispatch use it). */
    Subscription other(Session not) {
        Subscription fallback = null;
        for (Subscription s : members) {
            if (s.session != not) {
                if (s.session.connection != null) {
                    return s;
                }
                fallback = fallback == null ? s : fallback;
            }
        }
        return fallback;
    }

    /** The member that gets the next message: connected members first, round-robin. */
    Subscription pick() {
        int n = members.size();
        for (int i = 0; i < n; i++) {
            Subscription s = members.get((next + i) % n);
            if (s.session.connection != null) {
                next = (next + i + 1) % n;
                return s;
            }
        }
        if (n == 0) {
            return null;
        }
        Subscription s = members.get(next % n);
        next = (next + 1) % n;
        return s;
    }
}
