//! Project commands: `cargo xtask setup | run | test | e2e | bench | screenshots`.
//! Plain std Rust so it builds in seconds; every tool the project needs is installed here,
//! idempotently (fast when present), from the package registries only.

mod bench;
mod dist;
mod i18n_lint;
mod prometheus;
mod setup;
mod util;

use std::process::ExitCode;
use std::time::Instant;

use dist::APP;
use util::{cargo, root, Step};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup                 install/verify the toolchain (idempotent; fast when present)
  run [--scenario S] [--as USER] [--faults SPEC] [--port 8080] [--prometheus-port 9090] [--no-prometheus]
                        start devcluster on 127.0.0.1:8001, Prometheus with 7 days of backfilled
                        history on 127.0.0.1:9090 and `trunk serve` on http://127.0.0.1:8080/
  test                  every test: fmt, clippy (native + wasm), native, component (headless Chromium),
                        devcluster's kubectl fidelity suite, and end-to-end (release build + devcluster)
  dist [--public-url /ui/] [--out DIR]
                        release build of the static files into dist/: first-screen wasm + chunks
                        loaded on demand (cargo → wasm-split → wasm-bindgen → wasm-opt)
  e2e [-- ARGS…]        only the end-to-end suite (ARGS go to `playwright test`)
  bench                 bytes before first paint and time to first data → BENCHMARKS.md
  screenshots           PNGs of the pages, light/dark × en/zh, in e2e/screenshots/ (+ docs/screenshot.png)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(),
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("dist") => dist::DistOptions::from_args(&args[1..])
            .and_then(|opts| setup::setup_without_trunk().and_then(|_| dist::dist(&opts))),
        Some("e2e") => setup::setup_without_trunk().and_then(|_| e2e(&args[1..])),
        Some("bench") => setup::setup_without_trunk().and_then(|_| bench::bench()),
        Some("screenshots") => setup::setup_without_trunk().and_then(|_| screenshots()),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn run(args: &[String]) -> Result<(), String> {
    let scenario = flag(args, "--scenario").unwrap_or_else(|| "nodeport".into());
    let user = flag(args, "--as").unwrap_or_else(|| "admin".into());
    let faults = flag(args, "--faults").unwrap_or_default();
    let port = flag(args, "--port").unwrap_or_else(|| "8080".into());
    let Ok(port_number) = port.parse::<u16>() else {
        return Err(format!("--port {port:?} is not a port number"));
    };
    setup::setup()?;
    const API: &str = "127.0.0.1:8001";
    if std::net::TcpStream::connect(API).is_ok() {
        return Err(format!(
            "{API} is already in use (another `cargo xtask run`, devcluster or `kubectl proxy`?); stop it first"
        ));
    }
    if std::net::TcpStream::connect(("127.0.0.1", port_number)).is_ok() {
        return Err(format!(
            "127.0.0.1:{port} is already in use; stop what listens there or choose another port with --port"
        ));
    }
    let prometheus = !args.iter().any(|a| a == "--no-prometheus");
    let prom_port = flag(args, "--prometheus-port").unwrap_or_else(|| "9090".into());
    if prom_port.parse::<u16>().is_err() {
        return Err(format!(
            "--prometheus-port {prom_port:?} is not a port number"
        ));
    }
    let prom_addr = format!("127.0.0.1:{prom_port}");
    const METRICS: &str = "127.0.0.1:9101";
    if prometheus {
        for (addr, what) in [(prom_addr.as_str(), "--prometheus-port"), (METRICS, "")] {
            if std::net::TcpStream::connect(addr).is_ok() {
                return Err(format!(
                    "{addr} is already in use (another `cargo xtask run` or Prometheus?); stop it first{}",
                    if what.is_empty() { String::new() } else { format!(", choose another port with {what}, or run with --no-prometheus") }
                ));
            }
        }
    }
    cargo(&["build", "--release", "-p", "devcluster"])?;
    let run_dir = root().join("target/xtask-run");
    let data = run_dir.join("prometheus-data");
    let mut cluster_args = vec![
        "--listen".to_string(),
        API.into(),
        "--scenario".into(),
        scenario.clone(),
        "--as".into(),
        user.clone(),
    ];
    if !faults.is_empty() {
        cluster_args.extend(["--faults".into(), faults.clone()]);
    }
    if prometheus {
        // a fresh history for every run (the week and the hours come from the block cache)
        let _ = std::fs::remove_dir_all(&data);
        cluster_args.extend([
            "--metrics-listen".into(),
            METRICS.into(),
            "--prometheus".into(),
            format!("http://{prom_addr}"),
            "--prometheus-data".into(),
            data.display().to_string(),
            "--backfill-cache".into(),
            root()
                .join("target/devcluster-backfill")
                .display()
                .to_string(),
        ]);
    }
    let mut devcluster = std::process::Command::new(root().join("target/release/devcluster"))
        .args(&cluster_args)
        .spawn()
        .map_err(|e| format!("cannot start target/release/devcluster: {e}"))?;
    // the first start of a 6-hour block writes the week's history (~10 s)
    if let Err(e) = util::wait_http_while_running(&mut devcluster, API, "/version", 120) {
        util::stop(&mut devcluster);
        return Err(format!("devcluster did not start: {e}"));
    }
    let mut prom = None;
    if prometheus {
        match prometheus::start(
            &run_dir,
            &data,
            METRICS,
            &prom_addr,
            prometheus::DEV_SCRAPE_INTERVAL,
        ) {
            Ok(p) => prom = Some(p),
            Err(e) => {
                util::stop(&mut devcluster);
                return Err(e);
            }
        }
    }
    let stop_all = |devcluster: &mut std::process::Child,
                    prom: &mut Option<std::process::Child>| {
        if let Some(p) = prom.as_mut() {
            util::stop(p);
        }
        util::stop(devcluster);
    };
    let url = format!("http://127.0.0.1:{port}/");
    let path = setup::tool_path();
    let trunk = std::process::Command::new("trunk")
        .args(["serve", "--port", &port])
        .current_dir(root())
        .env("PATH", &path)
        .spawn();
    let mut trunk = match trunk {
        Ok(t) => t,
        Err(e) => {
            stop_all(&mut devcluster, &mut prom);
            return Err(format!("cannot run trunk: {e}"));
        }
    };
    // Announce the URL once trunk's first build is served (it prints a lot before that).
    let addr = format!("127.0.0.1:{port}");
    if util::wait_http_while_running(&mut trunk, &addr, "/", 900).is_ok() {
        let prom_line = if prometheus {
            format!(
                "\n  │ Prometheus (7 days of history, scrapes every {}) on http://{prom_addr}/",
                prometheus::DEV_SCRAPE_INTERVAL
            )
        } else {
            String::new()
        };
        println!(
            "\n  ┌──────────────────────────────────────────────────────────────────\n  │ gateway-console: open {url}\n  │ devcluster (scenario {scenario}, as {user}{}) answers on http://{API}{prom_line}\n  │ Ctrl-C stops them all\n  └──────────────────────────────────────────────────────────────────\n",
            if faults.is_empty() { String::new() } else { format!(", faults {faults}") }
        );
    }
    let status = trunk.wait();
    stop_all(&mut devcluster, &mut prom);
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("trunk serve exited with {s}")),
        Err(e) => Err(format!("trunk serve: {e}")),
    }
}

/// devcluster and the split release build in dist/ (what e2e, bench and screenshots run).
pub fn release_build() -> Result<(), String> {
    cargo(&["build", "--release", "-p", "devcluster"])?;
    dist::dist(&dist::DistOptions::from_args(&[])?)
}

fn e2e(args: &[String]) -> Result<(), String> {
    release_build()?;
    let mut pw = vec!["playwright", "test"];
    // `cargo xtask e2e -- --grep foo`: the `--` only separates our arguments from Playwright's
    let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
    pw.extend(args.iter().map(String::as_str));
    util::run_in(&root().join("e2e"), "npx", &pw, &[])
}

fn screenshots() -> Result<(), String> {
    release_build()?;
    util::run_in(&root().join("e2e"), "node", &["screenshots.mjs"], &[])
}

/// `node --check` on every e2e script and spec: a syntax error fails in seconds, not at the end.
fn check_e2e_scripts() -> Result<(), String> {
    let e2e = root().join("e2e");
    let mut files = Vec::new();
    for dir in [e2e.clone(), e2e.join("tests")] {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "mjs") {
                files.push(path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err("no e2e scripts found".into());
    }
    for file in &files {
        let file = file.to_str().ok_or("non-UTF-8 path")?;
        util::run_in(&e2e, "node", &["--check", file], &[])?;
    }
    Ok(())
}

/// One step of `cargo xtask test`.
type Task<'a> = Box<dyn Fn() -> Result<(), String> + 'a>;

fn test() -> Result<(), String> {
    let started = Instant::now();
    let mut steps: Vec<Step> = Vec::new();
    let webdriver = root().join("webdriver.json");
    let webdriver = webdriver.to_str().unwrap_or_default().to_string();
    let wasm_env = [
        ("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver.as_str()),
        ("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    ];
    let plan: Vec<(&str, Task<'_>)> = vec![
        ("setup", Box::new(setup::setup_without_trunk)),
        (
            "cargo fmt --check",
            Box::new(|| cargo(&["fmt", "--all", "--check"])),
        ),
        // a broken spec would otherwise surface only after half an hour of compiling
        (
            "e2e scripts parse (node --check)",
            Box::new(check_e2e_scripts),
        ),
        (
            "clippy (native)",
            Box::new(|| {
                // the app is checked for its real target below: natively it would compile
                // leptos and thaw a second time for nothing
                cargo(&[
                    "clippy",
                    "--workspace",
                    "--exclude",
                    APP,
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
            }),
        ),
        (
            "clippy (wasm)",
            Box::new(|| {
                cargo(&[
                    "clippy",
                    "-p",
                    "gateway-console",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
            }),
        ),
        (
            "native tests (incl. kubectl fidelity)",
            Box::new(|| cargo(&["test", "--workspace", "--exclude", APP])),
        ),
        (
            "app unit tests (wasm, Node.js) + component tests (headless Chromium)",
            Box::new(move || {
                util::run_in(
                    &root(),
                    "cargo",
                    &[
                        "test",
                        "--target",
                        "wasm32-unknown-unknown",
                        "-p",
                        APP,
                        "--lib",
                        "--test",
                        "web",
                    ],
                    &wasm_env,
                )
            }),
        ),
        ("end-to-end (release + devcluster)", Box::new(|| e2e(&[]))),
    ];
    let mut failure = None;
    for (name, f) in &plan {
        println!("\n━━ {name}");
        let t = Instant::now();
        let r = f();
        steps.push(Step {
            name: name.to_string(),
            ok: r.is_ok(),
            secs: t.elapsed().as_secs_f64(),
        });
        if let Err(e) = r {
            failure = Some(format!("{name}: {e}"));
            break;
        }
    }
    println!("\n{:<44} {:>6} {:>9}", "step", "result", "seconds");
    for s in &steps {
        println!(
            "{:<44} {:>6} {:>9.1}",
            s.name,
            if s.ok { "ok" } else { "FAILED" },
            s.secs
        );
    }
    for (name, _) in plan.iter().skip(steps.len()) {
        println!("{:<44} {:>6}", name, "skipped");
    }
    println!("total {:.0} s", started.elapsed().as_secs_f64());
    match failure {
        Some(f) => Err(f),
        None => Ok(()),
    }
}
