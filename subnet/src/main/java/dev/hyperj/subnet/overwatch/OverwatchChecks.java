package dev.hyperj.subnet.overwatch;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a subnet declares its {@link OverwatchCheck}: the token {@code overwatch-check=<id>} in the
 * {@code misc} text of its on-chain registration (the rest of {@code misc} is the owner's). The
 * registry maps ids to the checks found on the class path ({@code META-INF/services}).
 */
public final class OverwatchChecks {
    private static final String KEY = "overwatch-check=";
    private static final Pattern TOKEN =
            Pattern.compile("(?:^|\\s)" + Pattern.quote(KEY) + "([A-Za-z0-9._/-]{1,64})(?=\\s|$)");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._/-]{1,64}");

    private final Map<String, OverwatchCheck> byId;

    private OverwatchChecks(Map<String, OverwatchCheck> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** Every check on the class path; two with one id are a packaging error. */
    public static OverwatchChecks load() {
        Map<String, OverwatchCheck> m = new HashMap<>();
        for (OverwatchCheck c : ServiceLoader.load(OverwatchCheck.class, OverwatchChecks.class.getClassLoader())) {
            OverwatchCheck prior = m.put(c.id(), c);
            if (prior != null)
                throw new IllegalStateException("two overwatch checks named " + c.id() + ": "
                        + prior.getClass().getName() + " and " + c.getClass().getName());
        }
        return new OverwatchChecks(m);
    }

    /** A registry of exactly these checks (tests). */
    public static OverwatchChecks of(OverwatchCheck... checks) {
        Map<String, OverwatchCheck> m = new HashMap<>();
        for (OverwatchCheck c : checks) m.put(c.id(), c);
        return new OverwatchChecks(m);
    }

    /** The check id a subnet's {@code misc} declares, if any. */
    public static Optional<String> declared(String misc) {
        if (misc == null) return Optional.empty();
        Matcher m = TOKEN.matcher(misc);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The {@code misc} token that declares {@code id}. */
    public static String declaration(String id) {
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("not a check id: " + id);
        return KEY + id;
    }

    /** The check a subnet's {@code misc} declares, if it declares one this registry has. */
    public Optional<OverwatchCheck> forMisc(String misc) {
        return declared(misc).map(byId::get);
    }

    public Optional<OverwatchCheck> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
