package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.problem.Problem;
import java.io.PrintWriter;
import java.util.List;

/** Prints problems one per line, errors first, and a count. */
public final class ProblemPrinter {
  private ProblemPrinter() {}

  /** Prints all problems; returns true when there was at least one error. */
  public static boolean print(List<Problem> problems, PrintWriter err) {
    problems.forEach(p -> err.println(p));
    long errors = problems.stream().filter(Problem::isError).count();
    if (errors > 0) {
      err.println(errors + (errors == 1 ? " error" : " errors") + "; nothing was written");
    }
    err.flush();
    return errors > 0;
  }
}
