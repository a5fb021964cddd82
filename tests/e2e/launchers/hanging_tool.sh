#!/bin/sh
# A tool that hangs, for tests (a stuck compiler or linker): it records its
# pid and its child's (one a line) in $WASMSHIP_TEST_PIDS, creates
# $WASMSHIP_TEST_STARTED, then waits on a child that sleeps for five
# minutes. Tests check that wasmship stops both, however it ends. Should it
# ever wake, it runs the real tool: $WASMSHIP_TEST_REAL_TOOL with its
# arguments, or (as a launcher) its arguments.
echo $$ >> "$WASMSHIP_TEST_PIDS"
sleep 300 &
echo $! >> "$WASMSHIP_TEST_PIDS"
: > "$WASMSHIP_TEST_STARTED"
wait
if [ -n "${WASMSHIP_TEST_REAL_TOOL:-}" ]; then exec "$WASMSHIP_TEST_REAL_TOOL" "$@"; fi
exec "$@"
