#!/usr/bin/env bash
# Soak (issue 17): one jblk NBD server on a Unix socket; four client loops (two fio verify jobs on
# their own regions, qemu-img convert upload + compare, nbdcopy download); one client killed with
# SIGKILL every minute; the server's RSS sampled every 10 s. Bounded: SOAK_SECONDS (default 600).
# Usage: nbd/soak/soak.sh JAR WORKDIR     Prints the RSS table and the error count; exit 1 on errors.
set -uo pipefail
JAR=${1:?jar}; W=${2:?workdir}; SECS=${SOAK_SECONDS:-600}; WARM=${SOAK_WARMUP:-120}
mkdir -p "$W"; S="$W/soak.sock"; U="nbd+unix:///?socket=$S"
rm -f "$W"/*.pid "$W"/*.killed "$W"/errors "$W"/runs "$W"/kills "$W"/rss "$W"/*.log; touch "$W/kills"
# The heap is fixed and touched up front (-Xms = -Xmx, AlwaysPreTouch): otherwise RSS climbs for
# minutes as the collector first touches each region of a heap it already committed, which is
# not a leak. What can still grow is what a leak would grow: direct and native memory.
java -XX:MaxDirectMemorySize=1g -Xms256m -Xmx256m -XX:+AlwaysPreTouch ${SOAK_JAVA_OPTS:-} -cp "$JAR" jblk.nbd.NbdMain --socket "$S" \
  --nullb "memory_backed=1 size=256 irqmode=0 discard=1" >"$W/server.out" 2>"$W/server.err" &
SP=$!
for _ in $(seq 100); do [[ -S "$S" ]] && break; sleep 0.1; done
head -c $((64 << 20)) /dev/urandom >"$W/src.img"
end=$(( $(date +%s) + SECS ))
# region 2 (128..192 MiB) as qemu image options
R2="driver=raw,offset=134217728,size=67108864,file.driver=nbd,file.path=$S"

# loop NAME CMD...: runs CMD until the end; a failed run counts as an error unless it was killed.
loop() {
  local name=$1; shift
  while (( $(date +%s) < end )); do
    "$@" >>"$W/$name.log" 2>&1 &
    local p=$!; echo $p >"$W/$name.pid"; wait $p; local rc=$?
    echo "$name" >>"$W/runs"
    if [[ $rc -ne 0 ]]; then
      if [[ -e "$W/$name.killed" ]]; then rm -f "$W/$name.killed"; else echo "$name rc=$rc $(date +%T)" >>"$W/errors"; fi
    fi
  done
}
fio1() { fio --name=v1 --ioengine=nbd --uri="$U" --rw=randwrite --bs=4k --iodepth=16 --offset=0 --size=64m \
  --verify=crc32c --do_verify=1 --output-format=terse; }
fio2() { fio --name=v2 --ioengine=nbd --uri="$U" --rw=write --bs=256k --iodepth=8 --offset=64m --size=64m \
  --verify=crc32c --do_verify=1 --output-format=terse; }
qconv() { qemu-img convert -n -f raw --target-image-opts "$W/src.img" "$R2" && \
  qemu-img compare --image-opts "driver=file,filename=$W/src.img" "$R2"; }
ncopy() { nbdcopy "$U" null:; }
loop fio1 fio1 & L1=$!
loop fio2 fio2 & L2=$!
loop qconv qconv & L3=$!
loop ncopy ncopy & L4=$!

names=(fio1 fio2 qconv ncopy); k=0
printf '%6s %10s\n' t_s rss_mib
t0=$(date +%s); next_kill=$((t0 + 60))
while (( $(date +%s) < end )); do
  now=$(date +%s)
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$SP/status 2>/dev/null)
  printf '%6d %10s\n' $((now - t0)) "${rss:-dead}" | tee -a "$W/rss"
  if (( now >= next_kill )); then
    n=${names[$((k % 4))]}; k=$((k + 1)); next_kill=$((next_kill + 60))
    if [[ -s "$W/$n.pid" ]]; then
      touch "$W/$n.killed"
      # the client itself (fio/qemu-img/nbdcopy), or its pipeline's children
      p=$(cat "$W/$n.pid")
      kill -KILL $(cat /proc/"$p"/task/*/children 2>/dev/null) "$p" 2>/dev/null
      echo "killed $n at $((now - t0)) s" | tee -a "$W/kills"
    fi
  fi
  sleep 10
done
wait $L1 $L2 $L3 $L4
rss_end=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$SP/status)
kill -TERM $SP; wait $SP
echo "runs: $(wc -l <"$W/runs") ($(sort "$W/runs" | uniq -c | tr '\n' ' '))"
echo "kills: $(wc -l <"$W/kills" 2>/dev/null || echo 0)"
echo "rss end (before SIGTERM): $rss_end MiB"
echo "server stderr (warnings):"; grep -v "^nbd: c[0-9]* (unix): \(export\|closed\)" "$W/server.err" | tail -20
errs=$(cat "$W/errors" 2>/dev/null | wc -l)
echo "errors: $errs"; [[ $errs -gt 0 ]] && cat "$W/errors"
[[ $errs -eq 0 ]]
