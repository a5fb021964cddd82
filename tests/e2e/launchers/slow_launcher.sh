#!/bin/sh
# A compiler launcher for tests that makes every compile take a while, so a
# test can interrupt a build or race a second build against it.
sleep "${WASMSHIP_TEST_SLEEP:-5}"
exec "$@"
