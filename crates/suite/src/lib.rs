//! Doroga's integration suite lives in `tests/it` (one binary, a module per area); this library
//! is empty. See `tests/it/support.rs` for the harness.
