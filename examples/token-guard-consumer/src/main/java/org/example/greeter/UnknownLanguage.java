package org.example.greeter;

/** A greeting was asked for in a language the greeter does not speak. */
public class UnknownLanguage extends RuntimeException {

    public UnknownLanguage(String language) {
        super("No greeting in " + language, null, false, false);
    }
}
