#!/usr/bin/env bash
# Fleet propagation and hot swaps, against a real PostgreSQL repository, in two layers:
#  - runtime-image FleetIT: two fleet gateway processes; publish (ManagementRepository) ->
#    served by both fleets, p50/p99 over N updates, failed requests while N hot swaps run under load;
#  - operator CentralFleetIT: two clusters (mock API servers, an operator each) and their fleet
#    pods as processes; definition ConfigMap changed -> served by both clusters' gateways (the whole
#    path: reconcile, resolve, compile, publish, NOTIFY, load), same figures.
# Goals (issue 6): served within 1 s, 0 failed requests.
# Usage: bench/fleet.sh [UPDATES]   (default 100; the test suite itself runs 10 and 5)
set -euo pipefail
cd "$(dirname "$0")/.."
updates="${1:-100}"
# The ITs print their one "fleet:" / "central fleet:" line on standard output, which Maven's console carries.
./mvnw -B verify -pl runtime-image,operator -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=FleetIT,CentralFleetIT -Dfailsafe.failIfNoSpecifiedTests=false -Dfleet.updates="$updates" \
  2>&1 | grep -E "^(central )?fleet:|Tests run:.*(FleetIT|CentralFleetIT)"
