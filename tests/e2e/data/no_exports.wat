;; A valid module that is not a wasmship app: it exports only memory.
(module
  (memory (export "memory") 1)
  (func (export "main") (result i32) (i32.const 0)))
