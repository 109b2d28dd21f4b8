#!/usr/bin/env bash
# Starts a real one-node SLURM for the tests: munged, slurmctld and slurmd on this machine
# (node 'localhost', 2 CPUs), configured in a folder of its own, so nothing about SLURM is
# assumed to be set up beforehand. Installs Debian's packages when missing (needs root).
#   start-test-cluster.sh DIR    writes DIR/slurm.conf, starts the daemons, waits for the node
#   stop-test-cluster.sh DIR     stops them
# Clients find the cluster through SLURM_CONF=DIR/slurm.conf. A missing prerequisite fails
# loudly (exit 1, saying what): the tests must not silently skip.
set -euo pipefail
dir=${1:?usage: start-test-cluster.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else echo "start-test-cluster: need root for: $*" >&2; return 1; fi; }

missing=()
for pair in munged:munge slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client; do
  command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "start-test-cluster: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

# The daemons run as root here (SlurmUser=root): the test machine is a throwaway one.
if [ "$(id -u)" != 0 ]; then echo "start-test-cluster: must run as root (the test cluster's daemons run as root)" >&2; exit 1; fi

# munge: the packaged key, or a new one; one munged per machine (reused when running).
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
if ! munge -n >/dev/null 2>&1; then
  if id munge >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged; else /usr/sbin/munged --force; fi
  for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n >/dev/null || { echo "start-test-cluster: munged did not start" >&2; exit 1; }
fi

mkdir -p "$dir/state" "$dir/spool"
mem=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
# Ports of its own, so a second cluster (or a real one) on the machine does not collide.
ctld_port=${LOSSLAB_SLURMCTLD_PORT:-16817}
slurmd_port=${LOSSLAB_SLURMD_PORT:-16818}
cat > "$dir/slurm.conf" <<CONF
ClusterName=losslabtest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
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
SchedulerParameters=sched_interval=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

/usr/sbin/slurmctld -f "$SLURM_CONF" -i
/usr/sbin/slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 100); do
  state=$(sinfo -h -N -o %T 2>/dev/null | head -1 || true)
  case "$state" in idle*|mixed*|allocated*) echo "SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.2
done
echo "start-test-cluster: the node did not come up (state '${state:-none}'); logs: $dir/slurmctld.log, $dir/slurmd.log" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
exit 1
