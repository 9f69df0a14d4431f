package dev.gantry.toolkit.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects every problem found, so the user sees all of them at once rather than the first. */
public final class Problems {
  private final List<Problem> all = new ArrayList<>();

  public Problems add(Problem problem) {
    all.add(problem);
    return this;
  }

  public Problems addAll(Collection<Problem> problems) {
    all.addAll(problems);
    return this;
  }

  public boolean hasErrors() {
    return all.stream().anyMatch(Problem::isError);
  }

  /** Everything, errors first, in a stable order. */
  public List<Problem> sorted() {
    return all.stream().distinct().sorted(Problem.ORDER).toList();
  }
}
