;; An app of host ABI version 1 from before the trace hooks: no ws_trace_enable,
;; no ws_host.trace. Each frame submits an empty draw list; a key asks for one.
(module
  (import "ws_host" "submit" (func $submit (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "WSDL\00\00\00\00")
  (global $dirty (mut i32) (i32.const 1))
  (func (export "_initialize"))
  (func (export "ws_abi_version") (result i32) (i32.const 1))
  (func (export "ws_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "ws_frame") (param f64) (result i32)
    (if (global.get $dirty) (then (call $submit (i32.const 16) (i32.const 8))))
    (global.set $dirty (i32.const 0))
    (i32.const 0))
  (func (export "ws_input") (param i32 i32) (result i32) (global.set $dirty (i32.const 1)) (i32.const 1))
  (func (export "ws_fetch_done") (param i32 i32 i32 i32))
  (func (export "ws_alloc") (param i32) (result i32) (i32.const 0))
  (func (export "ws_free") (param i32)))
