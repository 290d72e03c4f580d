package dev.mqttharness.spec.catalog;

/** Whether, and how, a statement can be judged by talking to a broker over the wire. */
public enum Testability {
    /** Testable on the wire against a broker directly. */
    W("W", true),
    /** Testable on the wire with timing, reconnects, restarts, or a broker feature or configuration. */
    W_STAR("W*", true),
    /** Binds the client; the harness breaks it on purpose and judges the broker's handling. */
    CN("CN", true),
    /** Client-side only; nothing of it is visible at a broker. */
    C("C", false),
    /** Not observable on the wire. */
    I("I", false);

    private final String code;
    private final boolean wireTestable;

    Testability(String code, boolean wireTestable) {
        this.code = code;
        this.wireTestable = wireTestable;
    }

    public String code() {
        return code;
    }

    /** True for the classes the conformance suite must cover (W, W*, CN). */
    public boolean wireTestable() {
        return wireTestable;
    }

    public static Testability fromCode(String code) {
        for (Testability t : values()) {
            if (t.code.equals(code.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown testability class '" + code + "'");
    }
}
