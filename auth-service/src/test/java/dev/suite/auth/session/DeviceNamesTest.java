package dev.suite.auth.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a person sees of each of their sessions' device: the names they know, from real User-Agent strings. */
class DeviceNamesTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 | Firefox on Linux",
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 | Firefox on Ubuntu",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 | Chrome on Windows",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0 | Edge on Windows",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15 | Safari on macOS",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 | Safari on iOS",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1 | Chrome on iOS",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 | Chrome on Android",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36 | Samsung Internet on Android",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0 | Opera on Linux",
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 | Chrome on ChromeOS",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36 | Headless Chrome on Linux",
            "curl/8.5.0 | curl",
            "Mozilla/5.0 (compatible; SomeBot/1.0) | Unknown browser",
            "Mozilla/5.0 (X11; Linux x86_64) Something/1.0 | Unknown browser on Linux" })
    void namesTheBrowserAndSystemAPersonKnows(String userAgent, String label) {
        assertThat(DeviceNames.of(userAgent)).isEqualTo(label);
    }

    /** Whatever a client sends, the label is made of the parser's own words: nothing of the header reaches the page. */
    @ParameterizedTest
    @ValueSource(strings = { "<script>alert(1)</script> Firefox/1.0", "Firefox/1.0 \u202Exunil\u202C Linux", "Chrome/1 on Windows; DROP TABLE x" })
    void neverEchoesWhatTheClientSent(String userAgent) {
        String label = DeviceNames.of(userAgent);
        assertThat(label).matches("[A-Za-z ]+").hasSizeLessThanOrEqualTo(DeviceNames.MAX_LENGTH).doesNotContain("script", "DROP");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " " })
    void noUserAgentIsAnUnknownBrowser(String userAgent) {
        assertThat(DeviceNames.of(userAgent)).isEqualTo("Unknown browser");
        assertThat(DeviceNames.of(null)).isEqualTo("Unknown browser");
        assertThat(DeviceNames.of("Firefox/1 Linux ".repeat(100))).isEqualTo("Unknown browser");
    }
}
