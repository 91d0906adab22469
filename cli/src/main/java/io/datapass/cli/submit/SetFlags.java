package io.datapass.cli.submit;

import io.datapass.common.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code --set KEY=VALUE} flags, split at the first '='. */
public final class SetFlags {
  private SetFlags() {}

  public static List<Map.Entry<String, String>> parse(List<String> flags) throws ConfigException {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String flag : flags) {
      int equals = flag.indexOf('=');
      if (equals <= 0) {
        throw new ConfigException("--set needs KEY=VALUE, got '" + flag + "'");
      }
      pairs.add(Map.entry(flag.substring(0, equals), flag.substring(equals + 1)));
    }
    return pairs;
  }
}
