#!/bin/sh
# examples/slurm/submit.sh N REPORTS [blsvk run options...]
# Submits blsvk as a job array of N shards (shard.sbatch) and a merge job that starts when
# every task has ended (merge.sbatch), and prints the two job ids: "ARRAY_ID MERGE_ID".
# REPORTS must be on a file system that every node and the merge job see. Options of sbatch
# itself (partition, time limit, account) go through its environment variables, e.g.
# SBATCH_PARTITION=gpu SBATCH_TIMELIMIT=1:00:00 ./submit.sh 4 /shared/blsvk --suite full
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)

if [ $# -lt 2 ]; then
    echo "usage: $0 N REPORTS [blsvk run options...]" >&2
    exit 2
fi
N=$1
case $N in
'' | *[!0-9]* | 0*)
    echo "$0: N must be a positive number, not '$N'" >&2
    exit 2
    ;;
esac
mkdir -p "$2/logs"
REPORTS=$(cd "$2" && pwd) # the jobs may start in another directory
shift 2

# --parsable prints "JOBID" or "JOBID;CLUSTER".
shards=$(sbatch --parsable --array="1-$N" --output="$REPORTS/logs/shard-%a.out" \
    "$HERE/shard.sbatch" "$REPORTS" "$@")
shards=${shards%%;*}
# afterany, not afterok: the merge must also run when a shard failed or died, to report it (a
# failed case, or the missing shard that makes the verdict incomplete).
if ! merge=$(sbatch --parsable --dependency="afterany:$shards" --output="$REPORTS/logs/merge.out" \
    "$HERE/merge.sbatch" "$REPORTS"); then
    scancel "$shards" # shards that nothing would merge
    echo "$0: the merge job could not be submitted; cancelled the array $shards" >&2
    exit 1
fi
merge=${merge%%;*}
echo "$shards $merge"
