package dev.mqttharness.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding, as an MQTT 5 enhanced
 * authentication method: CONNECT carries client-first, AUTH 0x18 server-first, AUTH 0x18
 * client-final, and the CONNACK server-final.
 */
public final class Scram {
    public static final String METHOD = "SCRAM-SHA-256";
    static final int ITERATIONS = 4096;

    private Scram() {
    }

    /** Outcome of one server step. */
    public record Step(boolean done, boolean ok, byte[] data, String username, String error) {
        static Step more(byte[] data) {
            return new Step(false, true, data, null, null);
        }

        static Step success(byte[] data, String user) {
            return new Step(true, true, data, user, null);
        }

        static Step failure(String why) {
            return new Step(true, false, null, null, why);
        }
    }

    /** The server side of one exchange. */
    public static final class Server {
        private final Function<String, String> passwords;
        private final RandomGenerator random;
        private String user;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private byte[] salt;
        private int stage;

        /** @param passwords user name to password, null if unknown */
        public Server(Function<String, String> passwords, RandomGenerator random) {
            this.passwords = passwords;
            this.random = random;
        }

        public Step step(byte[] clientData) {
            String msg = clientData == null ? "" : new String(clientData, StandardCharsets.UTF_8);
            try {
                return stage++ == 0 ? first(msg) : last(msg);
            } catch (RuntimeException | GeneralSecurityException e) {
                return Step.failure("bad SCRAM message: " + e.getMessage());
            }
        }

        private Step first(String msg) {
            if (!msg.startsWith("n,,")) {
                return Step.failure("client-first must start with 'n,,' (no channel binding)");
            }
            clientFirstBare = msg.substring(3);
            Map<String, String> a = attributes(clientFirstBare);
            user = a.get("n");
            String cnonce = a.get("r");
            if (user == null || cnonce == null || cnonce.isEmpty()) {
                return Step.failure("client-first lacks n= or r=");
            }
            if (passwords.apply(user) == null) {
                return Step.failure("unknown user");
            }
            byte[] s = new byte[16];
            random.nextBytes(s);
            salt = s;
            byte[] n = new byte[18];
            random.nextBytes(n);
            nonce = cnonce + Base64.getEncoder().encodeToString(n).replace('/', '_').replace('+', '-');
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
            return Step.more(serverFirst.getBytes(StandardCharsets.UTF_8));
        }

        private Step last(String msg) throws GeneralSecurityException {
            int p = msg.lastIndexOf(",p=");
            if (p < 0) {
                return Step.failure("client-final lacks a proof");
            }
            String withoutProof = msg.substring(0, p);
            Map<String, String> a = attributes(msg);
            if (!nonce.equals(a.get("r"))) {
                return Step.failure("nonce mismatch");
            }
            byte[] proof = Base64.getDecoder().decode(a.get("p"));
            byte[] salted = saltedPassword(passwords.apply(user), salt, ITERATIONS);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] clientSignature = hmac(storedKey, authMessage);
            if (proof.length != clientSignature.length) {
                return Step.failure("proof has the wrong length");
            }
            byte[] recovered = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                recovered[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            if (!MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(recovered), storedKey)) {
                return Step.failure("wrong password");
            }
            byte[] serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
            String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
            return Step.success(serverFinal.getBytes(StandardCharsets.UTF_8), user);
        }
    }

    /** The client side of one exchange, for the reference client and tests. */
    public static final class Client {
        private final String user;
        private final String password;
        private final String cnonce;
        private String clientFirstBare;
        private byte[] expectedServerSignature;

        public Client(String user, String password, RandomGenerator random) {
            this.user = user;
            this.password = password;
            byte[] n = new byte[18];
            random.nextBytes(n);
            this.cnonce = Base64.getEncoder().encodeToString(n).replace('/', '_').replace('+', '-');
        }

        public byte[] clientFirst() {
            clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + cnonce;
            return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
        }

        public byte[] clientFinal(byte[] serverFirstBytes) {
            try {
                String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
                Map<String, String> a = attributes(serverFirst);
                String nonce = a.get("r");
                if (nonce == null || !nonce.startsWith(cnonce)) {
                    throw new IllegalArgumentException("server nonce does not extend the client nonce");
                }
                byte[] salt = Base64.getDecoder().decode(a.get("s"));
                int iterations = Integer.parseInt(a.get("i"));
                byte[] salted = saltedPassword(password, salt, iterations);
                byte[] clientKey = hmac(salted, "Client Key");
                byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
                String withoutProof = "c=biws,r=" + nonce;
                String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                byte[] signature = hmac(storedKey, authMessage);
                byte[] proof = new byte[clientKey.length];
                for (int i = 0; i < proof.length; i++) {
                    proof[i] = (byte) (clientKey[i] ^ signature[i]);
                }
                expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
                return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** True if the server-final message proves the server knew the password. */
        public boolean verifyServerFinal(byte[] serverFinal) {
            String s = new String(serverFinal, StandardCharsets.UTF_8);
            if (!s.startsWith("v=") || expectedServerSignature == null) {
                return false;
            }
            return MessageDigest.isEqual(Base64.getDecoder().decode(s.substring(2)), expectedServerSignature);
        }
    }

    static Map<String, String> attributes(String msg) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : msg.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                out.put(part.substring(0, 1), part.substring(2));
            }
        }
        return out;
    }

    static byte[] saltedPassword(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
