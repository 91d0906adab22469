package io.datapass.common;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean": the known name closest to a misspelt one, for errors that name a typo. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The known name within a few edits of {@code typed} (case ignored), the closest first met, or
   * null when none is close enough to be the one meant.
   */
  public static String closest(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = typed.toLowerCase(Locale.ROOT);
    for (String name : known) {
      int distance = distance(lower, name.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    // One edit in four letters or fewer, two in longer names, three from ten: closer is a typo.
    int allowed = typed.length() <= 4 ? 1 : typed.length() < 10 ? 2 : 3;
    return bestDistance <= allowed ? best : null;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
