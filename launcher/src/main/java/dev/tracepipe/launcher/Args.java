package dev.tracepipe.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Command-line options: {@code --name value}, {@code --flag}, and positional arguments, checked against what a command accepts. */
final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final List<String> positional = new ArrayList<>();

  static Args parse(String[] argv, int from, Set<String> valueOptions, Set<String> flagOptions) {
    Args args = new Args();
    for (int i = from; i < argv.length; i++) {
      String arg = argv[i];
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        String inlineValue = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          inlineValue = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (flagOptions.contains(name)) {
          args.flags.add(name);
        } else if (valueOptions.contains(name)) {
          if (inlineValue == null && i + 1 >= argv.length) {
            throw new IllegalArgumentException("--" + name + " needs a value");
          }
          args.options.put(name, inlineValue != null ? inlineValue : argv[++i]);
        } else {
          throw new IllegalArgumentException("unknown option --" + name);
        }
      } else {
        args.positional.add(arg);
      }
    }
    return args;
  }

  /** Whether {@code --help} is among the arguments (which may repeat values, so they are no set). */
  static boolean wantsHelp(String[] argv) {
    return java.util.Arrays.asList(argv).contains("--help");
  }

  Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  List<String> positional() {
    return positional;
  }
}
