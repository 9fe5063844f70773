package dev.suite.auth.password;

import java.util.Optional;

/** PasswordConfig with chosen values, for hashing tests that compare algorithms and costs side by side. */
record TestPasswordConfig(Algorithm algorithm, int bcryptCost, Optional<String> pepper, int threads, int queue)
        implements PasswordConfig {

    static TestPasswordConfig bcrypt(int cost) {
        return new TestPasswordConfig(Algorithm.BCRYPT, cost, Optional.empty(), 2, 16);
    }

    TestPasswordConfig with(Algorithm algorithm) {
        return new TestPasswordConfig(algorithm, bcryptCost, pepper, threads, queue);
    }

    TestPasswordConfig withPepper(String value) {
        return new TestPasswordConfig(algorithm, bcryptCost, Optional.of(value), threads, queue);
    }

    @Override
    public int minLength() {
        return 15;
    }

    @Override
    public int maxLength() {
        return 128;
    }

    @Override
    public double minEntropyBits() {
        return Double.parseDouble(DEFAULT_MIN_ENTROPY_BITS);
    }

    @Override
    public Scrypt scrypt() {
        // Small N keeps the test fast; the format and the verification are what is tested.
        return new Scrypt() {
            public int logN() {
                return 10;
            }

            public int r() {
                return 8;
            }

            public int p() {
                return 1;
            }
        };
    }

    @Override
    public Argon2 argon2() {
        return new Argon2() {
            public int memoryKib() {
                return 1024;
            }

            public int iterations() {
                return 2;
            }

            public int parallelism() {
                return 1;
            }
        };
    }

    @Override
    public String pepperId() {
        return "p1";
    }

    @Override
    public Pool pool() {
        return new Pool() {
            public Optional<Integer> threads() {
                return Optional.of(threads);
            }

            public int perAccount() {
                return 2;
            }

            public Optional<Integer> perClient() {
                return Optional.empty();
            }

            public int queue() {
                return queue;
            }
        };
    }
}
