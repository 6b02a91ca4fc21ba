#!/bin/bash
# CPU seconds used per process over 5 s (utime+stime from /proc).
declare -A before
for p in $(pgrep -f "node|postgres"); do before[$p]=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null); done
sleep 5
for p in "${!before[@]}"; do
  now=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null) || continue
  [ -z "$now" ] && continue
  d=$((now - ${before[$p]}))
  [ $d -gt 5 ] && echo "$d $(tr '\0' ' ' < /proc/$p/cmdline | cut -c1-90)"
done | sort -rn | awk '{printf "%5.1f%% ", $1/5; $1=""; print}'
