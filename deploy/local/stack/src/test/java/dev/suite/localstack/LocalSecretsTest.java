package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes that make the same missing secrets at the same moment (make test's two lanes starting their stacks)
 * must end with one value each, the one in the file: otherwise a PostgreSQL set up with one password is asked for
 * another.
 */
class LocalSecretsTest {

    private static final int NAMES = 40;

    @Test
    void twoProcessesMakingTheSameSecretsAtOnceGetTheSameValues(@TempDir Path dir) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), MakeSecrets.class.getName(), dir.toString()).redirectErrorStream(true).start());
        }
        List<String> answers = new ArrayList<>();
        for (Process process : processes) {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isZero();
            answers.add(out);
        }

        LocalSecrets file = LocalSecrets.in(dir);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < NAMES; i++) {
            expected.append(file.secret("name-" + i)).append('\n');
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isEqualTo(expected.toString()));
    }

    /** One process: the secrets name-0 .. name-39 of a folder, each on a line, made where missing. */
    public static final class MakeSecrets {
        public static void main(String[] args) {
            LocalSecrets secrets = LocalSecrets.in(Path.of(args[0]));
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < NAMES; i++) {
                out.append(secrets.secret("name-" + i)).append('\n');
            }
            System.out.print(out);
        }
    }
}
