package dev.suite.auth.password;

/** Stored hashes as an older configuration would have made them. */
public final class TestHashes {

    private TestHashes() {
    }

    public static String bcryptCost5(String password) {
        TestPasswordConfig config = TestPasswordConfig.bcrypt(5);
        return new PasswordHashing(config, new HashingPool(config)).hashNow(password);
    }
}
