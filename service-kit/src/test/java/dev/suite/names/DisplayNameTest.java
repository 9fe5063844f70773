package dev.suite.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.suite.problem.Problem;

/** The names an attacker or a careless paste would get past a "not blank, not too long" check. */
class DisplayNameTest {

    @ParameterizedTest(name = "refused: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            right-to-left override turns 'Eve txt.exe' into 'Eve exe.txt' | Eve \u202Etxt.exe          | direction of text
            right-to-left isolate                                          | Eve \u2067txt\u2069        | direction of text
            left-to-right mark                                             | Eve\u200E                  | direction of text
            arabic letter mark                                             | Eve\u061C                  | direction of text
            zero-width spaces only                                         | \u200B\u200B\u200B         | visible character
            zero-width joiner and non-joiner only                          | \u200D\u200C               | visible character
            word joiner and BOM only                                       | \u2060\uFEFF               | visible character
            hangul filler only                                             | \u3164\u3164               | visible character
            braille blank only                                             | \u2800                     | visible character
            combining marks only                                           | \u0301\u0308               | visible character
            no-break and ideographic spaces only                           | \u00A0\u3000               | visible character
            a tab                                                         | Eve\tMallory               | one line
            a line separator                                               | Eve\u2028Mallory           | one line
            a bell                                                         | Eve\u0007x                 | one line
            """)
    void refusesWithAMessageForPeople(String attack, String name, String says) {
        assertThatThrownBy(() -> DisplayName.accept(name)).as(attack).isInstanceOf(Problem.class)
                .hasMessageContaining(says).satisfies(p -> assertThat(((Problem) p).status()).isEqualTo(400));
    }

    @ParameterizedTest(name = "accepted: {0}")
    @ValueSource(strings = { "Eve", "Zoë", "\u05D3\u05E0\u05D4 \u05DC\u05D5\u05D9", "\u0645\u0631\u064A\u0645", "👩‍💻 Ada",
            "\u0928\u092E\u0938\u094D\u200D\u0924\u0947", "<img src=x onerror=alert(1)>" })
    void acceptsNamesInAnyScriptWithJoinersWhereTheyBelong(String name) {
        assertThat(DisplayName.accept(name)).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "Zoe\u0308" })
    void storesTheComposedFormSoThatWhatLooksTheSameIsTheSame(String decomposed) {
        assertThat(DisplayName.accept(decomposed)).isEqualTo("Zo\u00EB");
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = { 101, 5000 })
    void refusesALongNameInsteadOfCuttingItAndSaysByHowMuch(int length) {
        assertThat(DisplayName.accept("x".repeat(DisplayName.MAX_LENGTH))).hasSize(DisplayName.MAX_LENGTH);
        assertThatThrownBy(() -> DisplayName.accept("x".repeat(length)))
                .hasMessage("A display name can be at most 100 characters long; this one has " + length + ".");
    }

    @ParameterizedTest(name = "counted after composing: {0}")
    @ValueSource(ints = { 100 })
    void countsCharactersAfterComposingNotCodeUnits(int max) {
        // 100 "e + combining diaeresis" is 200 code points as sent, 100 characters as stored.
        assertThat(DisplayName.accept("e\u0308".repeat(max))).hasSize(max);
        // 50 emoji outside the BMP: 100 UTF-16 units, 50 characters.
        assertThat(DisplayName.accept("😀".repeat(50))).isNotEmpty();
    }
}
