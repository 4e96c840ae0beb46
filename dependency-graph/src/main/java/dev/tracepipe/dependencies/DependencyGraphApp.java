package dev.tracepipe.dependencies;

import dev.tracepipe.platform.StageRunner;

/** Runs the dependency graph stage on its own: {@code --config FILE}, TRACEPIPE_* overrides. */
public final class DependencyGraphApp {
  private DependencyGraphApp() {}

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(DependencyGraphStage.NAME, new DependencyGraphStage(), args);
  }
}
