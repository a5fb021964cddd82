// Force-included (-include) into every compile of a threads variant.
//
// Debian's wasi-libc has no threads build: its libc.a defines `errno` as a
// plain global (errno.o, DATA) and its own objects (strtod, fopen, ...) set
// that global. Its <__errno.h> nevertheless declares `_Thread_local int
// errno`, which clang honours once -matomics -mbulk-memory are on, so code
// touching errno in a threads variant refers to it through TLS relocations
// that wasm-ld refuses against libc's non-TLS symbol ("relocation
// R_WASM_MEMORY_ADDR_TLS_SLEB cannot be used against non-TLS symbol errno").
//
// This header takes the place of <__errno.h> (same include guard) and
// declares errno as what libc.a really defines: one variable for the whole
// module. It is correct on the main thread, where the app's code runs;
// worker threads share it, as they share the single-threaded libc.
#ifndef __wasilibc___errno_h
#define __wasilibc___errno_h

#ifdef __cplusplus
extern "C" {
#endif

extern int errno;

#ifdef __cplusplus
}
#endif

#define errno errno

#endif
