#!/usr/bin/env bash
# Fleet propagation and hot swaps: two fleet gateway processes and a real PostgreSQL repository
# (runtime-image FleetIT). Prints publish -> served-by-both-fleets p50/p99 over N updates and the
# number of failed requests while N hot swaps happen under load (goal: p99 <= 1 s, 0 failed).
# Usage: bench/fleet.sh [UPDATES]   (default 100; the test suite itself runs 10)
set -euo pipefail
cd "$(dirname "$0")/.."
updates="${1:-100}"
# The IT prints its one "fleet:" line on standard output, which Maven's console carries.
./mvnw -B verify -pl runtime-image -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=FleetIT -Dfailsafe.failIfNoSpecifiedTests=false -Dfleet.updates="$updates" \
  | grep -E '^fleet:|Tests run:.*FleetIT'
