#!/bin/sh
# A compiler launcher for tests that makes every compile take a while, so a
# test can interrupt a build or race a second build against it.
# WASMSHIP_TEST_STARTED, when set, names a file created before the wait: a
# test waits for it to know that a build is compiling (and so holds the
# project lock), instead of guessing with a fixed sleep.
if [ -n "${WASMSHIP_TEST_STARTED:-}" ]; then : > "$WASMSHIP_TEST_STARTED"; fi
sleep "${WASMSHIP_TEST_SLEEP:-5}"
exec "$@"
