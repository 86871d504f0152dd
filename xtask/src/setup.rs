//! `cargo xtask setup`: the toolchain, installed by the project itself. Idempotent; when
//! everything is present it only checks versions (a second or two).

use std::path::Path;

use crate::util::{output, root, run_in};

pub const TRUNK_VERSION: &str = "0.21.14";
/// wasm-opt from npm's `binaryen` (Debian's 108 miscompiles rustc 1.95's reference-types output:
/// "WebAssembly.Table.set(): Argument 1 is invalid"). Trunk.toml pins `version_132`.
pub const BINARYEN_VERSION: &str = "132.0.0";
/// ECharts from npm (the last 5.x: charming 0.6 targets ECharts 5), served as
/// `vendor/echarts.min.js` and loaded by the first chart shown.
pub const ECHARTS_VERSION: &str = "5.6.0";

/// Where the project's own tools live (gitignored).
pub fn tools_bin() -> std::path::PathBuf {
    root().join(".tools/binaryen/node_modules/.bin")
}

/// PATH with the project's tools first (for trunk, which looks up wasm-opt on PATH).
pub fn tool_path() -> String {
    format!(
        "{}:{}",
        tools_bin().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Debian packages: (file that proves it is installed, package).
const APT: &[(&str, &str)] = &[
    ("/usr/bin/wasm-opt", "binaryen"),
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    // CJK glyphs for the zh screenshots and tests (users' browsers have their own fonts)
    (
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "fonts-wqy-microhei",
    ),
    // a real Prometheus for the metrics tests and `cargo xtask run`, and its promtool, which
    // turns devcluster's backfilled week into TSDB blocks
    ("/usr/bin/prometheus", "prometheus"),
    ("/usr/bin/promtool", "prometheus"),
];

/// The `wasm-bindgen` version in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn is_root() -> bool {
    output("id", &["-u"]).as_deref() == Some("0")
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    if !is_root() {
        return Err(format!(
            "missing Debian packages; run as root:\n    apt-get install -y {}",
            packages.join(" ")
        ));
    }
    println!("setup: apt-get install {}", packages.join(" "));
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    if run_in(Path::new("/"), "apt-get", &args, &env).is_ok() {
        return Ok(());
    }
    run_in(Path::new("/"), "apt-get", &["update"], &env)?;
    run_in(Path::new("/"), "apt-get", &args, &env)
}

fn major(version_line: &str) -> Option<String> {
    version_line
        .split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .and_then(|v| v.split('.').next())
        .map(str::to_string)
}

/// Everything, trunk included (`cargo xtask setup`, `cargo xtask run`).
pub fn setup() -> Result<(), String> {
    install(true)
}

/// What builds and tests need: all but trunk, which only `trunk serve` (`cargo xtask run`)
/// uses. The release build is `cargo xtask dist`'s own pipeline. Saves a long
/// `cargo install trunk` on a fresh machine (CI).
pub fn setup_without_trunk() -> Result<(), String> {
    install(false)
}

fn install(with_trunk: bool) -> Result<(), String> {
    // Rust target
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run_in(
            &root(),
            "rustup",
            &["target", "add", "wasm32-unknown-unknown"],
            &[],
        )?;
    }
    // trunk
    match output("trunk", &["--version"]) {
        Some(v) if v.ends_with(TRUNK_VERSION) => {}
        _ if !with_trunk => {}
        found => {
            if let Some(v) = found {
                println!("setup: found {v}, the project needs trunk {TRUNK_VERSION}");
            }
            run_in(
                &root(),
                "cargo",
                &[
                    "install",
                    "trunk",
                    "--version",
                    TRUNK_VERSION,
                    "--locked",
                    "--force",
                ],
                &[],
            )?;
        }
    }
    // wasm-bindgen-cli, exactly the library's version (it also provides the test runner)
    let wanted = locked_wasm_bindgen()?;
    match output("wasm-bindgen", &["--version"]) {
        Some(v) if v.ends_with(&wanted) => {}
        found => {
            if let Some(v) = found {
                println!("setup: found {v}, Cargo.lock has wasm-bindgen {wanted}");
            }
            run_in(
                &root(),
                "cargo",
                &[
                    "install",
                    "wasm-bindgen-cli",
                    "--version",
                    &wanted,
                    "--force",
                ],
                &[],
            )?;
        }
    }
    // Debian packages
    let mut missing: Vec<&str> = APT
        .iter()
        .filter(|(file, _)| !Path::new(file).exists())
        .map(|(_, pkg)| *pkg)
        .collect();
    missing.dedup();
    if output("kubectl", &["version", "--client"]).is_none() {
        missing.push("kubernetes-client");
    }
    if output("node", &["--version"]).is_none() {
        missing.extend(["nodejs", "npm"]);
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    let chromium = output("/usr/bin/chromium", &["--version"]).unwrap_or_default();
    let driver = output("/usr/bin/chromedriver", &["--version"]).unwrap_or_default();
    if major(&chromium) != major(&driver) {
        return Err(format!(
            "Chromium and ChromeDriver versions differ ({chromium:?} vs {driver:?}); fix:\n    apt-get install -y --only-upgrade chromium chromium-driver"
        ));
    }
    // Playwright (the library only: tests drive the system Chromium). Reinstalled when
    // node_modules is missing or package-lock.json differs from the one last installed.
    let e2e = root().join("e2e");
    let lock = e2e.join("package-lock.json");
    let stamp = e2e.join("node_modules/.xtask-installed-package-lock.json");
    let lock_text = std::fs::read(&lock).ok();
    let installed = e2e
        .join("node_modules/@playwright/test/package.json")
        .exists()
        && lock_text.is_some()
        && std::fs::read(&stamp).ok() == lock_text;
    if !installed {
        let env = [("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")];
        let cmd: &[&str] = if lock_text.is_some() {
            &["ci", "--no-audit", "--no-fund"]
        } else {
            &["install", "--no-audit", "--no-fund"]
        };
        run_in(&e2e, "npm", cmd, &env)?;
        if let Ok(text) = std::fs::read(&lock) {
            std::fs::write(&stamp, text).map_err(|e| format!("{}: {e}", stamp.display()))?;
        }
    }
    // wasm-opt for release builds
    let wasm_opt = tools_bin().join("wasm-opt");
    let wanted_opt = format!(
        "version {}",
        BINARYEN_VERSION.split('.').next().unwrap_or_default()
    );
    if !output(wasm_opt.to_str().unwrap_or_default(), &["--version"])
        .is_some_and(|v| v.contains(&wanted_opt))
    {
        npm_tool("binaryen", &format!("binaryen@{BINARYEN_VERSION}"))?;
    }
    echarts()?;
    // crates, so that trunk's offline build finds them
    run_in(&root(), "cargo", &["fetch", "--quiet"], &[])?;
    println!(
        "setup: ok (wasm32 target, {}wasm-bindgen {wanted}, wasm-opt {BINARYEN_VERSION}, {}, {}, kubectl, prometheus + promtool, Playwright)",
        if with_trunk { format!("trunk {TRUNK_VERSION}, ") } else { String::new() },
        chromium.trim(),
        driver.split(" (").next().unwrap_or_default()
    );
    Ok(())
}

/// ECharts into `public/vendor/` (gitignored; trunk and `dist` copy `public/` to the root),
/// with its LICENSE and NOTICE, from the npm package.
fn echarts() -> Result<(), String> {
    let vendor = root().join("public/vendor");
    let stamp = vendor.join("ECHARTS-VERSION");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(ECHARTS_VERSION)
        && vendor.join("echarts.min.js").exists()
    {
        return Ok(());
    }
    let dir = npm_tool("echarts", &format!("echarts@{ECHARTS_VERSION}"))?;
    let package = dir.join("node_modules/echarts");
    std::fs::create_dir_all(&vendor).map_err(|e| e.to_string())?;
    for (from, to) in [
        ("dist/echarts.min.js", "echarts.min.js"),
        ("LICENSE", "ECHARTS-LICENSE"),
        ("NOTICE", "ECHARTS-NOTICE"),
    ] {
        std::fs::copy(package.join(from), vendor.join(to))
            .map_err(|e| format!("{}: {e}", package.join(from).display()))?;
    }
    std::fs::write(&stamp, ECHARTS_VERSION).map_err(|e| e.to_string())
}

/// `npm install <package>` into `.tools/<name>/` (a private package of its own, so the
/// install never touches e2e/); returns that directory.
fn npm_tool(name: &str, package: &str) -> Result<std::path::PathBuf, String> {
    let dir = root().join(".tools").join(name);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if !dir.join("package.json").exists() {
        std::fs::write(
            dir.join("package.json"),
            format!("{{\"name\":\"gateway-console-{name}\",\"private\":true}}\n"),
        )
        .map_err(|e| e.to_string())?;
    }
    run_in(
        &dir,
        "npm",
        &["install", "--no-audit", "--no-fund", "--no-save", package],
        &[],
    )?;
    Ok(dir)
}
