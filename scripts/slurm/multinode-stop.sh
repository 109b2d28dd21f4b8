#!/usr/bin/env bash
# Tears down what multinode-start.sh DIR started: every process in the nodes' namespaces
# (slurmd, slurmstepd, the tasks), slurmctld, the namespaces and the bridge. munged is left
# running: it is shared. Safe to run twice, or on a half-started cluster.
set -uo pipefail
dir=${1:?usage: multinode-stop.sh DIR}
export PATH="$PATH:/usr/sbin:/sbin"
[ -f "$dir/multinode.env" ] || exit 0
# shellcheck disable=SC1091
. "$dir/multinode.env"
export SLURM_CONF="$dir/slurm.conf"
[ -f "$SLURM_CONF" ] && timeout 10 scancel --quiet --user "$(id -un)" 2>/dev/null
for ns in $namespaces; do
  pids=$(ip netns pids "$ns" 2>/dev/null)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
done
pidfile="$dir/slurmctld.pid"
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
fi
for ns in $namespaces; do
  for _ in $(seq 20); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
  ip netns del "$ns" 2>/dev/null
done
# The veth ends left in the root namespace go with their peers; the bridge is ours to delete.
ip link del "$bridge" 2>/dev/null
exit 0
