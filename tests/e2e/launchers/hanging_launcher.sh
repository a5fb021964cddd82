#!/bin/sh
# A compiler launcher for tests: the compile of $WASMSHIP_TEST_HANG_ON hangs
# (hanging_tool.sh says how, and how tests find its processes); every other
# compile runs as usual.
case " $* " in
  *" -c $WASMSHIP_TEST_HANG_ON "*) exec "$(dirname "$0")/hanging_tool.sh" "$@" ;;
  *) exec "$@" ;;
esac
