//! `cargo xtask bench`: what the browser downloads before the first data (per route), and how
//! long until the first page shows its data, with where the time goes. `e2e/bench.mjs` measures
//! in headless Chromium against the split release build and rewrites BENCHMARKS.md.

use crate::util::{root, run_in};

pub fn bench() -> Result<(), String> {
    crate::release_build()?;
    run_in(&root().join("e2e"), "node", &["bench.mjs"], &[])
}
