package dev.suite.auth.session;

import java.util.List;

/**
 * A session's device as its owner would recognise it ("Firefox on Linux"), read from the User-Agent at sign-in. Small
 * and honest: a few browsers and systems by the tokens their User-Agents have carried for years, checked in the order
 * that tells apart those that name each other (Edge and Opera say "Chrome", Chrome says "Safari", Android says
 * "Linux"); anything else is "Unknown browser" or "on an unknown system". The answer is always built from the names
 * below, never from the header's text: what a client sends can neither mislead nor inject into the page that shows it.
 */
public final class DeviceNames {

    /** The longest label: a browser and a system from the lists below, with room to spare (the column is 80). */
    static final int MAX_LENGTH = 80;

    private record Mark(String token, String name) {
    }

    private static final List<Mark> BROWSERS = List.of(
            new Mark("Edg/", "Edge"), new Mark("EdgA/", "Edge"), new Mark("EdgiOS/", "Edge"),
            new Mark("OPR/", "Opera"), new Mark("SamsungBrowser/", "Samsung Internet"), new Mark("Vivaldi/", "Vivaldi"),
            new Mark("FxiOS/", "Firefox"), new Mark("Firefox/", "Firefox"), new Mark("CriOS/", "Chrome"),
            new Mark("Chromium/", "Chromium"), new Mark("HeadlessChrome/", "Headless Chrome"), new Mark("Chrome/", "Chrome"),
            new Mark("Safari/", "Safari"), new Mark("curl/", "curl"), new Mark("Wget/", "Wget"),
            new Mark("okhttp/", "OkHttp"), new Mark("python-requests/", "Python requests"),
            new Mark("Apache-HttpClient/", "Apache HttpClient"), new Mark("Java-http-client/", "Java HttpClient"));

    private static final List<Mark> SYSTEMS = List.of(
            new Mark("Windows", "Windows"), new Mark("iPhone", "iOS"), new Mark("iPad", "iPadOS"), new Mark("Android", "Android"),
            new Mark("CrOS", "ChromeOS"), new Mark("Mac OS X", "macOS"), new Mark("Macintosh", "macOS"),
            new Mark("Ubuntu", "Ubuntu"), new Mark("Fedora", "Fedora"), new Mark("Linux", "Linux"),
            new Mark("FreeBSD", "FreeBSD"), new Mark("OpenBSD", "OpenBSD"));

    private DeviceNames() {
    }

    /** "Browser on System", "Browser" alone for a tool without a system, or "Unknown browser" (never null). */
    public static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank() || userAgent.length() > 1024) {
            return "Unknown browser";
        }
        String browser = first(BROWSERS, userAgent);
        String system = first(SYSTEMS, userAgent);
        if (browser == null) {
            return system == null ? "Unknown browser" : "Unknown browser on " + system;
        }
        return system == null ? browser : browser + " on " + system;
    }

    private static String first(List<Mark> marks, String userAgent) {
        for (Mark mark : marks) {
            if (userAgent.contains(mark.token())) {
                return mark.name();
            }
        }
        return null;
    }
}
