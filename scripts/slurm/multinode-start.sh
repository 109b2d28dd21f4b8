#!/usr/bin/env bash
# Starts a real three-node SLURM on this one machine for the tests: munged and slurmctld in
# the root network namespace, and one slurmd per node (node1..node3) in a network namespace of
# its own, joined to a bridge by a veth pair. Traffic stays on this machine: the bridge and
# the namespaces are created here and deleted by multinode-stop.sh. The namespaces share the
# filesystem, so the munge socket, the experiment folder and Loss Lab are the same on every node.
#   multinode-start.sh DIR   writes DIR/slurm.conf, starts the daemons, waits for the 3 nodes
#   multinode-stop.sh DIR    kills them and deletes the namespaces and the bridge
# LOSSLAB_MULTINODE_NET (1-254, default 77) picks the subnet 10.<NET>.0.0/24 and the interface
# names, so two clusters on the machine do not collide. Needs root. A failure stops what was
# started and exits 1 saying what.
set -euo pipefail
dir=${1:?usage: multinode-start.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
export PATH="$PATH:/usr/sbin:/sbin"

if [ "$(id -u)" != 0 ]; then echo "multinode-start: must run as root (network namespaces, daemons as root)" >&2; exit 1; fi
for tool in ip munged slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null || { echo "multinode-start: $tool not found (apt-get install iproute2 munge slurmctld slurmd slurm-client)" >&2; exit 1; }
done

net=${LOSSLAB_MULTINODE_NET:-77}
nodes=(node1 node2 node3)
bridge="llbr$net"
ctl_addr="10.$net.0.1"
# What the stop script needs, written first so a half-started cluster is torn down too.
cat > "$dir/multinode.env" <<ENV
net=$net
bridge=$bridge
namespaces="${nodes[*]/#/ll${net}}"
ENV
trap 'status=$?; if [ $status != 0 ]; then echo "multinode-start: failed; tearing down (logs in $dir)" >&2; tail -n 5 "$dir"/*.log >&2 2>/dev/null || true; bash "$here/multinode-stop.sh" "$dir" >&2 || true; fi' EXIT

# munge: one munged for the machine, as in start-test-cluster.sh; its socket is a path, reachable from every namespace.
if ! munge -n >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || { mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; }
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  if id munge >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged; else /usr/sbin/munged --force; fi
  for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n >/dev/null || { echo "multinode-start: munged did not start" >&2; exit 1; }
fi

ip link add "$bridge" type bridge
ip addr add "$ctl_addr/24" dev "$bridge"
ip link set "$bridge" up
i=10
for node in "${nodes[@]}"; do
  i=$((i + 1))
  ns="ll${net}${node}"
  ip netns add "$ns"
  ip link add "ll${net}${node#node}h" type veth peer name "ll${net}${node#node}n"
  ip link set "ll${net}${node#node}h" master "$bridge" up
  ip link set "ll${net}${node#node}n" netns "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "ll${net}${node#node}n" name eth0
  ip -n "$ns" addr add "10.$net.0.$i/24" dev eth0
  ip -n "$ns" link set eth0 up
  echo "NodeName=$node NodeAddr=10.$net.0.$i CPUs=1 RealMemory=1000 State=UNKNOWN" >> "$dir/nodes.conf.tmp"
done
for _ in $(seq 50); do ip netns exec "ll${net}node3" ping -c1 -W1 "$ctl_addr" >/dev/null 2>&1 && break; sleep 0.2; done

mkdir -p "$dir/state"
# Ports in the namespaces are their own; slurmctld's is the machine's, so it is picked per cluster.
ctld_port=${LOSSLAB_SLURMCTLD_PORT:-$((16900 + net))}
cat > "$dir/slurm.conf" <<CONF
ClusterName=losslabnodes
SlurmctldHost=localhost($ctl_addr)
SlurmctldPort=$ctld_port
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=3600
KillWait=20
# A node whose slurmd stops answering is DOWN within seconds, not minutes.
SlurmdTimeout=10
TreeWidth=3
SchedulerParameters=sched_interval=2
$(cat "$dir/nodes.conf.tmp")
PartitionName=test Nodes=node[1-3] Default=YES MaxTime=INFINITE State=UP
CONF
rm -f "$dir/nodes.conf.tmp"
export SLURM_CONF="$dir/slurm.conf"

/usr/sbin/slurmctld -f "$SLURM_CONF" -i
for node in "${nodes[@]}"; do
  mkdir -p "$dir/spool-$node"
  # nsenter, not ip netns exec: that remounts /sys, hiding the cgroup filesystem slurmd needs.
  # A hostname of its own too (UTS namespace), so a task there is on another host, as on a cluster.
  nsenter --net="/run/netns/ll${net}${node}" unshare --uts sh -c 'hostname "$1" && exec /usr/sbin/slurmd -f "$2" -N "$1"' sh "$node" "$SLURM_CONF"
done
for _ in $(seq 150); do
  up=$(sinfo -h -N -o '%N %T' 2>/dev/null | grep -cE ' (idle|mixed|allocated)' || true)
  if [ "$up" = 3 ]; then trap - EXIT; echo "SLURM_CONF=$SLURM_CONF"; exit 0; fi
  sleep 0.2
done
echo "multinode-start: the nodes did not all come up:" >&2
sinfo -N >&2 || true
exit 1
