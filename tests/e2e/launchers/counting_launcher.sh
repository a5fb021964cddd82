#!/bin/sh
# A compiler launcher for tests (like ccache, it is given the compile
# command): logs the command, records how many compiles run at once, then
# runs the real compiler. Each compile waits briefly for company so that
# overlap is observable without timing assumptions.
dir="$WASMSHIP_TEST_LAUNCHER_DIR"
touch "$dir/running.$$"
echo "$*" >> "$dir/commands"
tries=${WASMSHIP_TEST_WAIT_TRIES:-50}
i=0
while [ $i -lt "$tries" ] && [ "$(ls "$dir" | grep -c '^running\.')" -lt 2 ]; do
  sleep 0.1
  i=$((i + 1))
done
ls "$dir" | grep -c '^running\.' >> "$dir/concurrency"
"$@"
rc=$?
rm -f "$dir/running.$$"
exit $rc
