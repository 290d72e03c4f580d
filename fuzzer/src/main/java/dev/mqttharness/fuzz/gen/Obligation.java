package dev.mqttharness.fuzz.gen;

import java.util.List;

/**
 * What a mutation obliges the broker to do in one version, and how firmly.
 *
 * @param statement the statement a broker that carries on breaks: an ID of that version's catalog, or
 *                  a section reference for a rule without a number
 * @param strength  {@link Strength#FAIL} when a statement requires the Server to close (or to treat
 *                  the packet as malformed); {@link Strength#INFO} when the spec only says the
 *                  packet is malformed or a protocol error, which in 5.0 obliges a Server to close
 *                  only once it has detected it (§4.13.1: the rigour of checks is the Server's
 *                  compromise), or when the rule binds the sender alone
 * @param breaks    the statements the bytes break, for the report
 */
public record Obligation(String statement, Strength strength, List<String> breaks) {

    /** How a broker that carries on after the mutation is judged. */
    public enum Strength { FAIL, INFO }

    public Obligation {
        breaks = List.copyOf(breaks);
    }

    static Obligation fail(String statement, String... breaks) {
        return new Obligation(statement, Strength.FAIL, List.of(breaks));
    }

    static Obligation info(String statement, String... breaks) {
        return new Obligation(statement, Strength.INFO, List.of(breaks));
    }

    public boolean binding() {
        return strength == Strength.FAIL;
    }
}
