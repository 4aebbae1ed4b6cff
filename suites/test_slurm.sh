#!/bin/sh
# suites/test_slurm.sh BLSVK SRC: examples/slurm on a real, one-node Slurm cluster. The test
# configures munge and Slurm in a temporary folder (key, sockets, state, spool, logs and pid
# files all inside it, ports chosen free), starts munged, slurmctld and slurmd, submits the
# quick suite as a 4-task array with examples/slurm/submit.sh, waits for the array and the merge
# job that depends on it, and checks that every task and the merge exited 0, that the merged
# verdict is pass with no shard, case or conflict reported, and that the merged cases are
# exactly the cases of the unsharded plan (blsvk list). It stops every process it started and
# removes the folder. Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and
# munge; skipped (77) without them. BLSVK_SLURM_FILTER narrows the suite (default: all of it).
set -eu
BLSVK=$1
SRC=$2
PATH=$PATH:/usr/sbin:/sbin # slurmctld, slurmd and munged live in sbin
SHARDS=4
FILTER=${BLSVK_SLURM_FILTER:-*}
JOB_WAIT_S=360  # the array and the merge together (~100 s here, 4 shards on 2 busy cores)
START_WAIT_S=30 # each daemon, from start to answering
STOP_WAIT_S=15  # each process, from SIGTERM to gone (then SIGKILL)
# (Together well under ctest's TIMEOUT of 600 s: the test gives up, and cleans up, by itself.)

for c in munged mungekey munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel python3 timeout; do
    if ! command -v "$c" >/dev/null 2>&1; then
        echo "skipped: $c not found (Debian's slurm-wlm and munge; cmake/bootstrap.sh installs them)"
        exit 77
    fi
done
if [ "$(id -u)" != 0 ]; then
    echo "skipped: needs root (slurmd starts jobs as their user)"
    exit 77
fi
if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device"
    exit 77
fi
# Both absolute: the jobs, and the test from the submission on, run in $T.
case $BLSVK in /*) ;; *) BLSVK=$(pwd)/$BLSVK ;; esac
SRC=$(cd "$SRC" && pwd)

T=$(mktemp -d /tmp/blsvk-slurm-XXXXXX)
# munged wants every directory above its socket searchable by all.
chmod 755 "$T"
mkdir -m 755 "$T/munge"
mkdir "$T/state" "$T/spool" "$T/log" "$T/run"
CONF=$T/slurm.conf
pids=""     # the daemons, to stop
jobs_ids="" # the jobs, to cancel

# A Slurm client command against this cluster alone, bounded in time. SLURM_CONF goes to the
# command only (the jobs inherit it through sbatch), never into this shell's environment, so
# that the sweep in cleanup finds this cluster's processes and not the test itself.
sl() { timeout 60 env SLURM_CONF="$CONF" BLSVK="$BLSVK" "$@"; }

show_logs() {
    for f in "$T"/log/* "$T"/reports/logs/*; do
        [ -f "$f" ] || continue
        # slurmd's standard error repeats its log file, once that is open.
        case $f in *.stderr) [ -s "${f%.stderr}.log" ] && continue ;; esac
        echo "----- $f (last 60 lines)"
        tail -n 60 "$f"
    done
}

# Waits until PID is gone, at most STOP_WAIT_S seconds, then kills it.
stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    n=0
    while kill -0 "$1" 2>/dev/null && [ $n -lt $((STOP_WAIT_S * 5)) ]; do
        sleep 0.2
        n=$((n + 1))
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

cleanup() {
    rc=$?
    set +e
    if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
        echo "test_slurm: failed (exit $rc); the daemons' logs and the jobs' output:" >&2
        show_logs >&2
    fi
    # Jobs first, while the controller can still end them; then the daemons, newest first.
    [ -n "$jobs_ids" ] && sl scancel $jobs_ids 2>/dev/null
    for p in $pids; do
        stop_pid "$p"
    done
    # Whatever is left of this cluster (a slurmstepd or a job's process that outlived slurmd)
    # carries SLURM_CONF=$CONF in its environment: nothing else on the machine does.
    for e in /proc/[0-9]*/environ; do
        p=${e#/proc/}
        p=${p%/environ}
        if { tr '\0' '\n' <"$e"; } 2>/dev/null | grep -qxF "SLURM_CONF=$CONF"; then
            echo "test_slurm: killing leftover process $p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null))" >&2
            kill -KILL "$p" 2>/dev/null
        fi
    done
    rm -rf "$T"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    limit=$1
    shift
    n=0
    until "$@" >/dev/null 2>&1; do
        n=$((n + 1))
        [ $n -lt $((limit * 2)) ] || return 1
        sleep 0.5
    done
}

# --- munge: its own key, socket, pid, seed and log files ---------------------------------
# In the foreground munged logs to its standard error; --log-file only keeps it off /var/log.
mungekey --create --keyfile="$T/munge/munge.key" --bits=1024
munged --foreground --socket="$T/munge/munge.sock" --key-file="$T/munge/munge.key" \
    --pid-file="$T/run/munged.pid" --seed-file="$T/munge/munged.seed" --log-file="$T/munge/munged.log" \
    >>"$T/log/munged.log" 2>&1 &
pids="$! $pids"
wait_for "$START_WAIT_S" sh -c "munge -S '$T/munge/munge.sock' -n | unmunge -S '$T/munge/munge.sock'" ||
    fail "munged did not answer on $T/munge/munge.sock within $START_WAIT_S s"

# --- slurm.conf: one node, this machine, no cgroups, no accounting ------------------------
# Slurm compares SlurmctldHost and NodeName with the short host name.
HOST=$(uname -n | cut -d. -f1)
# Two free ports, so that a Slurm already on the machine (6817/6818) is left alone.
set -- $(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
CTLD_PORT=$1
SLURMD_PORT=$2
cat >"$CONF" <<EOF
ClusterName=blsvktest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
# slurmctld logs to its standard error (log/slurmctld.log); slurmd's file also gets slurmstepd's.
SlurmdLogFile=$T/log/slurmd.log
# No cgroups (a container may not offer them): processes tracked by parentage, no binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Finished jobs stay known to the controller for the checks below (no accounting to ask).
MinJobAge=600
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=blsvk Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

# --- the daemons, in the foreground of a background job so that their pids are ours -------
env SLURM_CONF="$CONF" slurmctld -D -f "$CONF" >>"$T/log/slurmctld.log" 2>&1 &
pids="$! $pids"
wait_for "$START_WAIT_S" sl scontrol ping ||
    fail "slurmctld did not answer within $START_WAIT_S s"
env SLURM_CONF="$CONF" slurmd -D -f "$CONF" >>"$T/log/slurmd.stderr" 2>&1 &
pids="$! $pids"
node_idle() { sl sinfo -h -N -o %T | grep -qx idle; }
wait_for "$START_WAIT_S" node_idle ||
    fail "node $HOST not idle within $START_WAIT_S s: $(sl sinfo -N 2>&1)"
echo "one-node cluster up on $HOST (ports $CTLD_PORT, $SLURMD_PORT)"

# --- the quick suite, 4 shards and a merge ----------------------------------------------
start=$(date +%s)
cd "$T"
ids=$(sl sh "$SRC/examples/slurm/submit.sh" "$SHARDS" "$T/reports" --suite quick --filter "$FILTER" \
    --quiet --pipeline-cache "$T/pipeline-cache") || fail "submit.sh failed: $ids"
jobs_ids=$ids
set -- $ids
ARRAY=$1
MERGE=$2
echo "array job $ARRAY, merge job $MERGE"

# The merge starts only when every task has ended (afterany), so its end is the end of all.
merge_state() { sl scontrol -o show job "$MERGE" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
merge_done() {
    case $(merge_state) in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | PREEMPTED | BOOT_FAIL | DEADLINE) return 0 ;;
    *) return 1 ;;
    esac
}
wait_for "$JOB_WAIT_S" merge_done ||
    fail "the jobs did not finish within $JOB_WAIT_S s: $(sl squeue 2>&1)"
end=$(date +%s)
echo "array and merge finished in $((end - start)) s"
jobs_ids=""

# --- checks ------------------------------------------------------------------------------
# Every task of the array and the merge: COMPLETED with exit 0.
sl scontrol -o show job "$ARRAY" >"$T/array.txt"
tasks=$(grep -c 'ArrayTaskId=' "$T/array.txt") || true
[ "$tasks" = "$SHARDS" ] || fail "the array has $tasks tasks, not $SHARDS: $(cat "$T/array.txt")"
while read -r line; do
    task=$(echo "$line" | sed -n 's/.*ArrayTaskId=\([0-9]*\).*/\1/p')
    echo "$line" | grep -q 'JobState=COMPLETED .*ExitCode=0:0' ||
        fail "array task $task: $(echo "$line" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' | cut -c1-200)"
    # Each task ran its own shard, into its own folder.
    shard=$(grep -h -A2 '"shard": {' "$T"/reports/shards/"$task"/*/[0-9]*/results.json | tr -d ' \n') || true
    [ "$shard" = "\"shard\":{\"index\":$task,\"count\":$SHARDS" ] ||
        fail "task $task: no results.json of shard $task/$SHARDS in reports/shards/$task ($shard)"
done <"$T/array.txt"
sl scontrol -o show job "$MERGE" | grep -q 'JobState=COMPLETED .*ExitCode=0:0' ||
    fail "merge job: $(sl scontrol -o show job "$MERGE" | grep -o 'JobState=[A-Z_]*\|ExitCode=[0-9:]*' | tr '\n' ' ')"

M=$T/reports/merged/merged.json
[ -f "$M" ] || fail "no $M"
# The first verdict in merged.json is the merge's own; the rest are per device.
verdict=$(sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$M")
[ "$verdict" = pass ] || fail "merged verdict '$verdict', expected pass"
for k in missing missing_shards conflicts; do
    grep -q "^  \"$k\": \[\]" "$M" || fail "merged.json lists $k: $(grep -A3 "^  \"$k\"" "$M")"
done
inputs=$(grep -c "\"$T/reports/shards/[0-9]*/" "$M") || true
[ "$inputs" = "$SHARDS" ] || fail "merged.json has $inputs input runs, not $SHARDS"

# The merged cases are the unsharded plan's, each once.
"$BLSVK" list --suite quick --filter "$FILTER" | sort >"$T/planned.txt"
sed -n 's/^      \["\([^"]*\)".*/\1/p' "$M" | sort >"$T/merged.txt"
planned=$(wc -l <"$T/planned.txt")
[ "$planned" -gt 0 ] || fail "blsvk list --filter '$FILTER' plans no case"
if ! cmp -s "$T/planned.txt" "$T/merged.txt"; then
    echo "planned (<) against merged (>):" >&2
    diff "$T/planned.txt" "$T/merged.txt" | head -20 >&2
    fail "the merged cases are not the planned ones"
fi
echo "test_slurm: $SHARDS shards merged: verdict pass, all $planned planned cases present"
