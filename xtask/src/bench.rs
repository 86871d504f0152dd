//! `cargo xtask bench`: what the browser downloads before first paint, and how long until the
//! first page shows its data. Prints the figures and records them in BENCHMARKS.md.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::{cargo, root};

/// Budget before first paint (gzip bytes) and to first data (ms), held by later issues.
pub const BYTES_BUDGET: u64 = 350 * 1024;
pub const FIRST_DATA_BUDGET_MS: f64 = 200.0;

fn gzip_size(bytes: &[u8]) -> Result<u64, String> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    writer.join().ok();
    Ok(out.stdout.len() as u64)
}

/// Files referenced by dist/index.html (plus config.json, which the app fetches first).
fn first_paint_files(dist: &std::path::Path) -> Result<Vec<String>, String> {
    let html = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("no release build: {e}"))?;
    let mut files = vec!["index.html".to_string()];
    for attr in ["href=\"", "src=\"", "from '", "init('", "module_or_path: '"] {
        let mut rest = html.as_str();
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find(['"', '\'']).unwrap_or(0);
            let f = rest[..end].trim_start_matches('/').to_string();
            if !f.is_empty()
                && !f.starts_with("http")
                && dist.join(&f).is_file()
                && !files.contains(&f)
            {
                files.push(f);
            }
        }
    }
    // the wasm is fetched by the js loader
    for entry in std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with("_bg.wasm") && !files.contains(&name) {
            files.push(name);
        }
    }
    files.push("config.json".into());
    Ok(files)
}

/// `gateway-console-4f3e93ba5e912569_bg.wasm` → `gateway-console-…_bg.wasm` (trunk's file hash
/// changes with every build; the table should not).
fn without_hash(file: &str) -> String {
    if let Some(dash) = file.rfind('-') {
        let rest = &file[dash + 1..];
        let hex = rest.find(['.', '_']).unwrap_or(rest.len());
        if hex >= 8 && rest[..hex].chars().all(|c| c.is_ascii_hexdigit()) {
            return format!("{}-…{}", &file[..dash], &rest[hex..]);
        }
    }
    file.to_string()
}

pub fn bench() -> Result<(), String> {
    cargo(&["build", "--release", "-p", "devcluster"])?;
    crate::util::trunk(&["build", "--release"])?;
    let dist = root().join("dist");
    let mut rows = Vec::new();
    let mut total = 0;
    for f in first_paint_files(&dist)? {
        let bytes = std::fs::read(dist.join(&f)).map_err(|e| format!("{f}: {e}"))?;
        let gz = gzip_size(&bytes)?;
        total += gz;
        rows.push((f, bytes.len() as u64, gz));
    }
    // time to first data, measured in headless Chromium against devcluster
    let out = Command::new("node")
        .arg("bench.mjs")
        .current_dir(root().join("e2e"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err("e2e/bench.mjs failed".into());
    }
    let samples: Vec<f64> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    if samples.len() < 10 {
        return Err(format!(
            "expected ≥ 10 samples from bench.mjs, got {samples:?}"
        ));
    }
    let mut sorted = samples.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    let mut md = String::new();
    md.push_str("# Benchmarks\n\nRecorded by `cargo xtask bench` (release build, `trunk build --release`).\n\n");
    md.push_str(
        "## Bytes before first paint\n\n| file | bytes | gzip -9 bytes |\n|---|---:|---:|\n",
    );
    for (f, raw, gz) in &rows {
        let shown = without_hash(f);
        md.push_str(&format!("| {shown} | {raw} | {gz} |\n"));
    }
    md.push_str(&format!(
        "| **total** | | **{total}** ({:.1} KiB; budget {} KiB: {}) |\n\n",
        total as f64 / 1024.0,
        BYTES_BUDGET / 1024,
        if total <= BYTES_BUDGET {
            "within"
        } else {
            "OVER"
        }
    ));
    md.push_str(&format!(
        "## Time to first data\n\nNavigation start → `performance.mark(\"gateway-console:first-data\")` (the cluster gateway card rendered from the\nwatch), headless Chromium, devcluster scenario `nodeport`, {} loads.\n\n| median | min | max | budget |\n|---:|---:|---:|---:|\n| {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms ({}) |\n\nSamples (ms): {}\n\nMachine: {} cores; measured {}.\n",
        samples.len(),
        median,
        sorted[0],
        sorted[sorted.len() - 1],
        FIRST_DATA_BUDGET_MS,
        if median <= FIRST_DATA_BUDGET_MS { "within" } else { "OVER" },
        samples.iter().map(|s| format!("{s:.0}")).collect::<Vec<_>>().join(", "),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        crate::util::output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default()
    ));
    std::fs::write(root().join("BENCHMARKS.md"), &md).map_err(|e| e.to_string())?;
    println!("\n{md}");
    Ok(())
}
