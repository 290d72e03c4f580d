package dev.mqttharness.spec.verdict;

/**
 * The judgement on one statement for one (target, version). Severity orders verdicts for baselines
 * ("worse than expected" fails a build) and for combining several observations of one statement.
 */
public enum Verdict {
    /** The statement held in every observation. */
    PASS(0),
    /** A MAY behaviour, noted. */
    INFO(0),
    /** The broker declared the feature unavailable (e.g. in CONNACK), so the statement does not apply. */
    UNSUPPORTED(1),
    /** No scenario exercised the statement in this run. */
    NOT_TESTED(1),
    /** A SHOULD was broken, or the broker chose a weaker alternative the spec allows. */
    NON_STRICT(2),
    /** The harness or the environment failed; never blamed on the broker. */
    ERROR(3),
    /** A MUST or MUST NOT was broken. */
    FAIL(4);

    private final int severity;

    Verdict(int severity) {
        this.severity = severity;
    }

    public int severity() {
        return severity;
    }

    /** True if this verdict is worse than {@code expected} (a regression against a baseline). */
    public boolean worseThan(Verdict expected) {
        return severity > expected.severity;
    }

    /**
     * Combines two observations of the same statement: a failure anywhere wins (FAIL over ERROR over
     * NON_STRICT); otherwise evidence that it held (PASS) beats a note (INFO), which beats
     * "does not apply" (UNSUPPORTED) and "not seen" (NOT_TESTED).
     */
    public static Verdict combine(Verdict a, Verdict b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.severity >= 2 || b.severity >= 2) {
            return a.severity >= b.severity ? a : b;
        }
        return a.rankWhenClean() <= b.rankWhenClean() ? a : b;
    }

    private int rankWhenClean() {
        switch (this) {
            case PASS: return 0;
            case INFO: return 1;
            case UNSUPPORTED: return 2;
            default: return 3;
        }
    }
}
