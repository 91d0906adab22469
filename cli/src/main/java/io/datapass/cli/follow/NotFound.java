package io.datapass.cli.follow;

/** The one way every command says a submission is not there. */
public final class NotFound {
  private NotFound() {}

  public static String message(String name, String namespace) {
    return "no submission "
        + name
        + " in namespace "
        + namespace
        + " (nothing labelled datapass.io/submission="
        + name
        + "; datapass list shows the submissions there)";
  }
}
