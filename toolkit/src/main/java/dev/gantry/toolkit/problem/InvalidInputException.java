package dev.gantry.toolkit.problem;

import java.util.List;

/** Thrown when inputs hold at least one error; carries every problem found, not just the first. */
public final class InvalidInputException extends Exception {
  private final transient List<Problem> problems;

  public InvalidInputException(List<Problem> problems) {
    super(problems.stream().filter(Problem::isError).count() + " error(s) in the inputs, first: "
        + problems.stream().filter(Problem::isError).findFirst().map(Problem::toString).orElse("none"));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
