// For short-lived steps that build and drop large structures (Binaryen's IR
// of a whole module): glibc's malloc hands freed memory back to the kernel
// and takes it again, one page fault a page, which was a fifth of a debug
// build's optimize step. Such a step keeps what it freed for its own reuse.
#pragma once

namespace ws {

// Returns false when the C library refused a setting (the step still works).
bool KeepFreedMemory();

}  // namespace ws
