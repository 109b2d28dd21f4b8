#!/usr/bin/env bash
# Stops the daemons start-test-cluster.sh started in DIR (munged is left running: it is shared).
set -uo pipefail
dir=${1:?usage: stop-test-cluster.sh DIR}
export SLURM_CONF="$dir/slurm.conf"
scancel --quiet --user "$(id -un)" 2>/dev/null
for name in slurmd slurmctld; do
  pidfile="$dir/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
done
exit 0
