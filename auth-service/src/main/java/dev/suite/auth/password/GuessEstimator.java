package dev.suite.auth.password;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.matching.match.BruteForceMatch;
import me.gosimple.nbvcxz.matching.match.DateMatch;
import me.gosimple.nbvcxz.matching.match.DictionaryMatch;
import me.gosimple.nbvcxz.matching.match.Match;
import me.gosimple.nbvcxz.matching.match.RepeatMatch;
import me.gosimple.nbvcxz.matching.match.SequenceMatch;
import me.gosimple.nbvcxz.matching.match.SpacialMatch;
import me.gosimple.nbvcxz.matching.match.YearMatch;
import me.gosimple.nbvcxz.resources.Configuration;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.resources.Dictionary;
import me.gosimple.nbvcxz.resources.DictionaryBuilder;
import me.gosimple.nbvcxz.scoring.Result;

/**
 * How many guesses a password costs an attacker who tries dictionaries, repeats, sequences, keyboard walks and
 * dates first (nbvcxz, a zxcvbn port). CPU-bound for milliseconds on 15 characters and tens of milliseconds on
 * 128, so it runs only on the {@link HashingPool}, never on an event loop.
 */
@Startup
@ApplicationScoped
public class GuessEstimator {

    /** A password's weakest part, in words a user can act on, and its estimated strength. */
    public record Estimate(double bits, String weakness) {
    }

    private static final String PERSONAL = "personal";

    private final Configuration base;

    GuessEstimator() {
        // Built once: the builder's static initialiser loads 170,000 dictionary words (about 2 s), so it runs at
        // start-up rather than on the first registration. The timeout 0 skips the exhaustive "best combination"
        // search, which hits its 500 ms limit on long multi-word passwords and makes the score depend on machine
        // load; the greedy split it falls back to scores the refused corpus within a few bits of the exhaustive one.
        this.base = new ConfigurationBuilder().setCombinationAlgorithmTimeout(0L).createConfiguration();
    }

    /** Blocking: call it on the hashing pool. {@code personalWords} (lower case) are worth no guesses at all. */
    public Estimate estimate(String password, Collection<String> personalWords) {
        Nbvcxz estimator = new Nbvcxz(withExclusions(personalWords));
        Estimate weakest = describe(estimator.estimate(password), 0);
        Optional<RepeatedRun> run = RepeatedRun.in(password);
        if (run.isPresent()) {
            // A guesser pays for the repeated unit once, plus the number of copies.
            Estimate folded = describe(estimator.estimate(run.get().folded()), log2(run.get().copies()));
            weakest = weaker(weakest, new Estimate(folded.bits(), "it repeats a character or a pattern"));
        }
        Optional<String> unshifted = ShiftedKeys.unshifted(password);
        if (unshifted.isPresent()) {
            // One bit for "Shift on every key or on none"; mixed shifting is scored by the estimate of the original.
            weakest = weaker(weakest, describe(estimator.estimate(unshifted.get()), 1));
        }
        return weakest;
    }

    private static Estimate weaker(Estimate a, Estimate b) {
        return b.bits() < a.bits() ? b : a;
    }

    private static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }

    private Configuration withExclusions(Collection<String> personalWords) {
        if (personalWords.isEmpty()) {
            return base;
        }
        // A per-call copy of the list: the builder's default list is shared and static.
        List<Dictionary> dictionaries = new ArrayList<>(base.getDictionaries());
        DictionaryBuilder personal = new DictionaryBuilder().setDictionaryName(PERSONAL).setExclusion(true);
        personalWords.forEach(word -> personal.addWord(word, 0));
        dictionaries.add(personal.createDictionary());
        return new Configuration(base.getPasswordMatchers(), base.getGuessTypes(), dictionaries, base.getAdjacencyGraphs(),
                base.getLeetTable(), base.getYearPattern(), base.getMinimumEntropy(), base.getMaxLength(), base.getLocale(),
                base.isDistanceCalc(), base.getCombinationAlgorithmTimeout());
    }

    private static Estimate describe(Result result, double extraBits) {
        String weakness = result.getMatches().stream()
                .filter(match -> !(match instanceof BruteForceMatch))
                .max(Comparator.comparingInt(Match::getLength))
                .map(GuessEstimator::weakness)
                .orElse("it is short for the characters it uses");
        return new Estimate(result.getEntropy() + extraBits, weakness);
    }

    private static String weakness(Match match) {
        if (match instanceof RepeatMatch) {
            return "it repeats a character or a pattern";
        }
        if (match instanceof SequenceMatch) {
            return "it contains a sequence such as abc or 123";
        }
        if (match instanceof SpacialMatch) {
            return "it contains a keyboard pattern such as qwerty";
        }
        if (match instanceof YearMatch || match instanceof DateMatch) {
            return "it relies on a date or a year";
        }
        if (match instanceof DictionaryMatch word) {
            if (PERSONAL.equals(word.getDictionaryName())) {
                return "it is built from your name or email address";
            }
            return "passwords".equals(word.getDictionaryName()) ? "it is built from common passwords"
                    : "it is built from a few common words or names";
        }
        return "it follows a common pattern";
    }
}
