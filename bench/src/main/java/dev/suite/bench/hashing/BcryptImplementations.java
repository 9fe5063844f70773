package dev.suite.bench.hashing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.spec.EncryptablePasswordSpec;
import org.wildfly.security.password.spec.IteratedSaltedPasswordAlgorithmSpec;
import org.wildfly.security.password.util.ModularCrypt;

import at.favre.lib.crypto.bcrypt.BCrypt;

/**
 * The auth service's bcrypt (Bouncy Castle's OpenBSDBCrypt) next to other implementations on Maven Central: single-thread
 * time per hash at the configured cost, and whether each one's hashes verify with ours and ours with it (a fast
 * bcrypt that computes something else is no alternative). Input: one of the service's pre-hash's shape ({@link BcryptInput}).
 */
public final class BcryptImplementations {

    /** One implementation: hash a password at a cost, verify a password against a modular-crypt string. */
    public interface Impl {
        String name();

        String artifact();

        String hash(String password, int cost) throws Exception;

        boolean verify(String password, String hash) throws Exception;
    }

    public record Result(String name, String artifact, double msPerHash, int hashes, boolean verifiesOurs,
            boolean oursVerifiesIt, String note) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private BcryptImplementations() {
    }

    public static List<Impl> all() {
        List<Impl> impls = new ArrayList<>();
        impls.add(impl("Bouncy Castle OpenBSDBCrypt (ours)", "org.bouncycastle:bcprov-jdk18on",
                (p, c) -> OpenBSDBCrypt.generate("2b", p.toCharArray(), salt(), c),
                (p, h) -> OpenBSDBCrypt.checkPassword(h, p.toCharArray())));
        impls.add(impl("at.favre bcrypt", "at.favre.lib:bcrypt",
                (p, c) -> BCrypt.with(BCrypt.Version.VERSION_2B).hashToString(c, p.toCharArray()),
                (p, h) -> BCrypt.verifyer().verify(p.toCharArray(), h).verified));
        impls.add(impl("jBCrypt", "org.mindrot:jbcrypt",
                (p, c) -> org.mindrot.jbcrypt.BCrypt.hashpw(p, org.mindrot.jbcrypt.BCrypt.gensalt(c)),
                org.mindrot.jbcrypt.BCrypt::checkpw));
        impls.add(impl("Spring Security BCrypt", "org.springframework.security:spring-security-crypto",
                (p, c) -> org.springframework.security.crypto.bcrypt.BCrypt.hashpw(p,
                        org.springframework.security.crypto.bcrypt.BCrypt.gensalt("$2b", c)),
                org.springframework.security.crypto.bcrypt.BCrypt::checkpw));
        impls.add(impl("Password4j", "com.password4j:password4j",
                (p, c) -> com.password4j.BcryptFunction.getInstance(com.password4j.types.Bcrypt.B, c).hash(p).getResult(),
                (p, h) -> com.password4j.BcryptFunction.getInstanceFromHash(h).check(p, h)));
        impls.add(impl("WildFly Elytron", "org.wildfly.security:wildfly-elytron-password-impl",
                BcryptImplementations::elytronHash, BcryptImplementations::elytronVerify));
        return impls;
    }

    /**
     * Times every implementation on the same input, interleaved (one hash of each per round, after one warm-up
     * hash each), and reports each one's median: a burst of load from elsewhere then slows every implementation
     * alike instead of whichever happened to run during it. Then checks each against ours both ways.
     */
    public static List<Result> compare(List<Impl> impls, int cost, int rounds, Consumer<String> progress) {
        String password = BcryptInput.random();
        Map<Impl, List<Double>> times = new LinkedHashMap<>();
        Map<Impl, String> lastHash = new LinkedHashMap<>();
        Map<Impl, Exception> failed = new LinkedHashMap<>();
        for (int round = -1; round < rounds; round++) { // round -1: warm-up, not timed
            for (Impl impl : impls) {
                if (failed.containsKey(impl)) {
                    continue;
                }
                try {
                    long started = System.nanoTime();
                    lastHash.put(impl, impl.hash(password, cost));
                    if (round >= 0) {
                        times.computeIfAbsent(impl, i -> new ArrayList<>()).add((System.nanoTime() - started) / 1e6);
                    }
                } catch (Exception | LinkageError e) {
                    failed.put(impl, e instanceof Exception ex ? ex : new IllegalStateException(e));
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (Impl impl : impls) {
            if (failed.containsKey(impl)) {
                progress.accept(impl.name() + " failed: " + failed.get(impl));
                results.add(new Result(impl.name(), impl.artifact(), -1, 0, false, false, "failed: " + failed.get(impl)));
                continue;
            }
            List<Double> sorted = times.get(impl).stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            results.add(check(impl, password, cost, lastHash.get(impl), median, sorted.size(), progress));
        }
        return results;
    }

    private static Result check(Impl impl, String password, int cost, String last, double ms, int hashes, Consumer<String> progress) {
        boolean oursVerifiesIt = OpenBSDBCrypt.checkPassword(last, password.toCharArray())
                && !OpenBSDBCrypt.checkPassword(last, (password + "x").toCharArray());
        String note = "";
        String ours = OpenBSDBCrypt.generate("2b", password.toCharArray(), salt(), cost);
        boolean verifiesOurs = verifies(impl, password, ours);
        if (!verifiesOurs) {
            // Some read only the $2a$ prefix; for an input of the pre-hash's shape 2a and 2b compute the same thing.
            verifiesOurs = verifies(impl, password, OpenBSDBCrypt.generate("2a", password.toCharArray(), salt(), cost));
            note = verifiesOurs ? "reads $2a$ only" : "cannot verify our hashes";
        }
        if (verifiesOurs && verifies(impl, password + "x", ours.replace("$2b$", "$2a$"))) {
            verifiesOurs = false;
            note = "accepts a wrong password";
        }
        progress.accept(String.format("%s: median %.1f ms/hash of %d, %s", impl.name(), ms, hashes,
                verifiesOurs && oursVerifiesIt ? "verified both ways" : "NOT compatible " + note));
        return new Result(impl.name(), impl.artifact(), ms, hashes, verifiesOurs, oursVerifiesIt,
                last.substring(0, 7) + (note.isEmpty() ? "" : ", " + note));
    }

    private static boolean verifies(Impl impl, String password, String hash) {
        try {
            return impl.verify(password, hash);
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static PasswordFactory elytron() throws Exception {
        return PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, new WildFlyElytronPasswordProvider());
    }

    private static String elytronHash(String password, int cost) throws Exception {
        Password hashed = elytron().generatePassword(new EncryptablePasswordSpec(password.toCharArray(),
                new IteratedSaltedPasswordAlgorithmSpec(cost, salt())));
        return ModularCrypt.encodeAsString(hashed);
    }

    private static boolean elytronVerify(String password, String hash) throws Exception {
        PasswordFactory factory = elytron();
        return factory.verify(factory.translate(ModularCrypt.decode(hash)), password.toCharArray());
    }

    @FunctionalInterface
    private interface Hash {
        String hash(String password, int cost) throws Exception;
    }

    @FunctionalInterface
    private interface Verify {
        boolean verify(String password, String hash) throws Exception;
    }

    private static Impl impl(String name, String artifact, Hash hash, Verify verify) {
        return new Impl() {
            public String name() {
                return name;
            }

            public String artifact() {
                return artifact;
            }

            public String hash(String password, int cost) throws Exception {
                return hash.hash(password, cost);
            }

            public boolean verify(String password, String stored) throws Exception {
                return verify.verify(password, stored);
            }
        };
    }
}
