package dev.gantry.toolkit.fleet;

/** A deployment state: started APIs are served by the fleets they select; stopped ones are kept but not served. */
public enum ApiState {
  STARTED, STOPPED
}
