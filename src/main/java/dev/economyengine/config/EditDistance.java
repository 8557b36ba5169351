package dev.economyengine.config;

/** How far apart two names are, to suggest the name a typo meant. */
final class EditDistance {
    private EditDistance() {}

    /** The fewest single-character insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    static int levenshtein(String a, String b) {
        // Two rows of the classic table: the distances from a's prefixes to b's previous and current prefix.
        int[] previous = new int[a.length() + 1];
        int[] current = new int[a.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            previous[i] = i;
        }
        for (int j = 1; j <= b.length(); j++) {
            current[0] = j;
            for (int i = 1; i <= a.length(); i++) {
                int substitution = previous[i - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[i] = Math.min(substitution, Math.min(previous[i], current[i - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[a.length()];
    }
}
