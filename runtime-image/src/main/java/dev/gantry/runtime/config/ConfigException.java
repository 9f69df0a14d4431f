package dev.gantry.runtime.config;

import java.util.List;

/** A bundle or environment the gateway cannot serve safely; lists every reason found. */
public final class ConfigException extends Exception {
  private final transient List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
