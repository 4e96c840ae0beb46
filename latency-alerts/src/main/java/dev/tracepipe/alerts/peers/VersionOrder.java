package dev.tracepipe.alerts.peers;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Orders version strings by their numbers (1.10 after 1.9), then by text: which of two versions is newer. */
final class VersionOrder {

  static final Comparator<String> COMPARATOR = VersionOrder::compare;
  private static final Pattern PART = Pattern.compile("\\d+|\\D+");

  private VersionOrder() {}

  static int compare(String a, String b) {
    Matcher ma = PART.matcher(a);
    Matcher mb = PART.matcher(b);
    while (ma.find() && mb.find()) {
      String pa = ma.group();
      String pb = mb.group();
      boolean na = Character.isDigit(pa.charAt(0));
      boolean nb = Character.isDigit(pb.charAt(0));
      int c;
      if (na && nb) {
        c = new java.math.BigInteger(pa).compareTo(new java.math.BigInteger(pb));
      } else {
        c = pa.compareTo(pb);
      }
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }
}
