package dev.mqttharness.fuzz.exec;

/**
 * Names private to one execution of one case, so that cases run concurrently against one broker
 * (and replays run against a broker that saw the original) without seeing each other: a topic
 * prefix, Client Identifiers and a payload token.
 *
 * @param salt   a few characters unique to the campaign or replay (letters and digits)
 * @param worker the worker running the case
 * @param serial a number unique among the executions of that worker
 */
public record Namespace(String salt, int worker, long serial) {

    public String topicPrefix() {
        return "fz/" + salt + "/" + worker + "/" + Long.toString(serial, 36) + "/";
    }

    /**
     * Client Identifier of client {@code k}: exactly 23 characters from [0-9a-zA-Z], the kind every
     * broker must accept (MQTT-3.1.3-5). Lower-case base-36 fields are separated by upper-case letters.
     */
    public String clientId(int k) {
        StringBuilder sb = new StringBuilder(23).append('F').append(salt).append('W').append(Integer.toString(worker, 36))
                .append('S').append(Long.toString(serial, 36)).append('C').append(k);
        while (sb.length() < 23) {
            sb.append('Z');
        }
        return sb.length() > 23 ? sb.substring(sb.length() - 23) : sb.toString();
    }

    /** Prefix of every payload of the execution. */
    public String token() {
        return salt + "." + worker + "." + Long.toString(serial, 36);
    }
}
