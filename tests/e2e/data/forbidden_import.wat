;; A complete app interface that also wants to open files.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "ws_abi_version") (result i32) (i32.const 1))
  (func (export "ws_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "ws_frame") (param f64) (result i32) (i32.const 0))
  (func (export "ws_input") (param i32 i32) (result i32) (i32.const 0))
  (func (export "ws_fetch_done") (param i32 i32 i32 i32))
  (func (export "ws_alloc") (param i32) (result i32) (i32.const 0))
  (func (export "ws_free") (param i32)))
