//! `cargo xtask dist`: the release build of the static files, split into a first-screen wasm and
//! chunks loaded on demand (trunk cannot split, trunk-rs/trunk#1022, so this does the wasm step
//! itself; `trunk serve` keeps building the unsplit app for development).
//!
//! 1. `cargo rustc --release --features split … -- -Clink-args=--emit-relocs` (the relocations
//!    tell wasm-split which function uses which);
//! 2. `wasm_split_cli_support::transform`: the main module, one module per split point
//!    (`src/chunks.rs`), shared chunks and the loader `__wasm_split.js`;
//! 3. `wasm-bindgen --target web --keep-lld-exports` on the main module (chunks import what they
//!    need from its exports);
//! 4. `wasm-opt -Oz` (binaryen 132) on every module.
//!
//! Every file of one build goes into `pkg/<build-id>/`, the id being a hash of their contents: a
//! new deploy never mixes old and new chunks (an old page asking for an old chunk gets a 404 and
//! says "reload"), and everything under `pkg/` can be cached forever. `index.html` and
//! `config.json` are the only files that must not be cached.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{root, run_in};

/// The binary, its js glue and its wasm share this name.
pub const APP: &str = "gateway-console";
/// binaryen feature flags of rustc 1.95's wasm32 output (as in index.html for trunk).
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// RUSTFLAGS of the split build (every crate): leptos type-erases component views (`AnyView`
/// at each component boundary instead of one monomorphised view type per use), and the source
/// paths that panic locations carry lose their registry prefix (shorter strings in the wasm,
/// and the same bytes on every machine).
fn rustflags() -> String {
    let mut flags = "--cfg erase_components".to_string();
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    if let Ok(registries) = std::fs::read_dir(cargo_home.join("registry/src")) {
        for registry in registries.flatten() {
            flags.push_str(&format!(
                " --remap-path-prefix={}/=",
                registry.path().display()
            ));
        }
    }
    flags.push_str(&format!(" --remap-path-prefix={}/=", root().display()));
    flags
}

pub struct DistOptions {
    /// URL path the app is served under (`/`, or `/ui/` with `routerBase: "/ui"`).
    pub public_url: String,
    pub out: PathBuf,
}

impl DistOptions {
    pub fn from_args(args: &[String]) -> Result<DistOptions, String> {
        let mut public_url = "/".to_string();
        let mut out = root().join("dist");
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--public-url" => {
                    public_url = it.next().ok_or("--public-url needs a path")?.clone();
                }
                "--out" => out = PathBuf::from(it.next().ok_or("--out needs a directory")?),
                other => return Err(format!("dist: unknown argument {other:?}")),
            }
        }
        if !public_url.starts_with('/') {
            return Err(format!(
                "--public-url must start with '/' (got {public_url:?})"
            ));
        }
        if !public_url.ends_with('/') {
            public_url.push('/');
        }
        Ok(DistOptions { public_url, out })
    }
}

/// FNV-1a, 64 bit: a stable content hash without dependencies (names, not security).
fn fnv(data: &[u8], mut h: u64) -> u64 {
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn hex(h: u64) -> String {
    format!("{h:016x}")
}

fn io<T>(what: &Path, r: std::io::Result<T>) -> Result<T, String> {
    r.map_err(|e| format!("{}: {e}", what.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    io(to, std::fs::create_dir_all(to))?;
    for entry in io(from, std::fs::read_dir(from))? {
        let entry = io(from, entry)?;
        let target = to.join(entry.file_name());
        if io(&entry.path(), entry.file_type())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            io(&target, std::fs::copy(entry.path(), &target))?;
        }
    }
    Ok(())
}

/// Every file under `dir`, relative path → contents, sorted (for the build id).
fn files_under(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
        for entry in io(dir, std::fs::read_dir(dir))? {
            let path = io(dir, entry)?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path
                    .strip_prefix(base)
                    .map_err(|e| e.to_string())?
                    .to_string_lossy()
                    .to_string();
                out.insert(rel, io(&path, std::fs::read(&path))?);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// Steps 1–4: the optimised wasm modules and their js in `target/split/pkg`.
fn build_wasm() -> Result<PathBuf, String> {
    let root = root();
    run_in(
        &root,
        "cargo",
        &[
            "rustc",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            APP,
            "--bin",
            APP,
            "--features",
            "split",
            "--",
            "-Clink-args=--emit-relocs",
        ],
        &[("RUSTFLAGS", &rustflags())],
    )?;
    let input = root.join(format!("target/wasm32-unknown-unknown/release/{APP}.wasm"));
    let work = root.join("target/split");
    let split_dir = work.join("split");
    let pkg = work.join("pkg");
    for dir in [&split_dir, &pkg] {
        if dir.exists() {
            io(dir, std::fs::remove_dir_all(dir))?;
        }
        io(dir, std::fs::create_dir_all(dir))?;
    }
    // 2. split
    let wasm = io(&input, std::fs::read(&input))?;
    let main_out = split_dir.join(format!("{APP}.wasm"));
    let main_module = format!("./{APP}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = &split_dir;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    let split =
        wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm-split: {e:#}"))?;
    // 3. wasm-bindgen on the main module
    run_in(
        &root,
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-typescript",
            "--out-name",
            APP,
            "--out-dir",
            pkg.to_str().ok_or("non-UTF-8 path")?,
            main_out.to_str().ok_or("non-UTF-8 path")?,
        ],
        &[],
    )?;
    let mut modules = vec![pkg.join(format!("{APP}_bg.wasm"))];
    for chunk in &split.split_modules {
        let name = chunk.file_name().ok_or("chunk without a name")?;
        let target = pkg.join(name);
        io(&target, std::fs::copy(chunk, &target))?;
        modules.push(target);
    }
    let loader = split_dir.join("__wasm_split.js");
    io(&loader, std::fs::copy(&loader, pkg.join("__wasm_split.js")))?;
    // 4. wasm-opt, two at a time (2 cores)
    let wasm_opt = crate::setup::tools_bin().join("wasm-opt");
    let wasm_opt = wasm_opt.to_str().ok_or("non-UTF-8 path")?.to_string();
    for pair in modules.chunks(2) {
        let running: Vec<_> = pair
            .iter()
            .map(|m| {
                let m = m.to_str().unwrap_or_default().to_string();
                let mut args = vec!["-Oz".to_string(), "-q".to_string()];
                args.extend(WASM_OPT_FEATURES.iter().map(|f| f.to_string()));
                args.extend([m.clone(), "-o".into(), m]);
                std::process::Command::new(&wasm_opt).args(&args).spawn()
            })
            .collect();
        for child in running {
            let status = child
                .map_err(|e| format!("cannot run {wasm_opt}: {e}"))?
                .wait()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("wasm-opt failed ({status})"));
            }
        }
    }
    Ok(pkg)
}

/// The Content-Security-Policy of the app, as a `<meta>` in the dist index.html (servers may
/// also send it as a header; `e2e/serve.mjs` does). Each source, and why:
/// - `default-src 'self'`: nothing from another origin unless listed below;
/// - `script-src 'self' 'wasm-unsafe-eval'`: our own modules; compiling our wasm (main and
///   chunks) needs `wasm-unsafe-eval` — no `eval` of JavaScript;
/// - `style-src 'self' 'unsafe-inline'`: our stylesheet, plus the `<style>` elements thaw
///   injects for its components (thaw 0.5 has no nonce support);
/// - `connect-src 'self'`: config.json, the chunks, and the API through the proxy at
///   `<apiBase>` (an `apiBase` on another origin needs that origin added here);
/// - `img-src 'self' data:`: thaw's inline images; `font-src 'self'`;
/// - `object-src 'none'`, `base-uri 'self'`, `form-action 'self'`: nothing else.
///
/// `frame-ancestors` cannot be set by a `<meta>`; embedding is up to the server (issue #14).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// The module that starts the app. A main module that cannot be fetched or started leaves a
/// message (both languages: the translations are in the wasm that failed) instead of a blank page.
fn start_js() -> String {
    format!(
        r#"import init from './{APP}.js';
// translations that are not compiled in (Chinese): `<code>.json` next to this file, fetched
// once; started here already when the page will need it
const catalogues = new Map();
window.__gatewayConsoleCatalogue = (code) => {{
  if (!catalogues.has(code)) {{
    catalogues.set(code, fetch(new URL(`./${{code}}.json`, import.meta.url)).then((r) =>
      r.ok ? r.text() : Promise.reject(new Error(`${{code}}.json: HTTP ${{r.status}}`))));
  }}
  return catalogues.get(code);
}};
try {{
  const preferred = localStorage.getItem('gateway-console.locale') || navigator.language || '';
  if (/^zh\b/i.test(preferred)) window.__gatewayConsoleCatalogue('zh').catch(() => {{}});
}} catch (_) {{ /* no storage: the app decides */ }}
init({{ module_or_path: new URL('./{APP}_bg.wasm', import.meta.url) }}).catch((error) => {{
  console.error(error);
  const box = document.createElement('section');
  box.className = 'boot-failed';
  box.setAttribute('role', 'alert');
  box.setAttribute('data-testid', 'boot-failed');
  const p = document.createElement('p');
  p.textContent = 'The console could not be loaded. Reload the page to try again. · 无法加载控制台，请重新加载页面。';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Reload · 重新加载';
  button.addEventListener('click', () => location.reload());
  box.append(p, button);
  document.body.append(box);
}});
"#
    )
}

/// index.html for the split build, from trunk's index.html: the same head, with trunk's
/// directives replaced by the files this build wrote.
fn index_html(source: &str, public_url: &str, css: &[String], pkg: &str) -> Result<String, String> {
    let mut out = String::new();
    for line in source.lines() {
        let trimmed = line.trim();
        let indent = &line[..line.len() - line.trim_start().len()];
        if trimmed.starts_with("<base data-trunk-public-url") {
            out.push_str(&format!(
                "{indent}<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\" />\n"
            ));
            out.push_str(&format!("{indent}<base href=\"{public_url}\" />\n"));
        } else if trimmed.starts_with("<link data-trunk rel=\"rust\"") {
            // the module graph of the first screen, fetched in parallel with config.json
            out.push_str(&format!(
                "{indent}<link rel=\"modulepreload\" href=\"{pkg}/{APP}.js\" />\n\
                 {indent}<link rel=\"preload\" href=\"{pkg}/{APP}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin />\n\
                 {indent}<link rel=\"preload\" href=\"config.json\" as=\"fetch\" crossorigin />\n\
                 {indent}<script type=\"module\" src=\"{pkg}/start.js\"></script>\n"
            ));
        } else if trimmed.starts_with("<link data-trunk rel=\"css\"") {
            // all stylesheets go into one file (below, at the first one)
            if !out.contains("rel=\"stylesheet\"") {
                for f in css {
                    out.push_str(&format!(
                        "{indent}<link rel=\"stylesheet\" href=\"{f}\" />\n"
                    ));
                }
            }
        } else if trimmed.starts_with("<link data-trunk rel=\"copy-dir\"") {
            // public/ is copied to the root by `dist`
        } else if trimmed.contains("data-trunk") {
            return Err(format!(
                "index.html: no split-build equivalent for {trimmed:?}"
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The stylesheets named by index.html, in order.
fn css_sources(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.contains("data-trunk rel=\"css\""))
        .filter_map(|l| {
            let start = l.find("href=\"")? + 6;
            let end = l[start..].find('"')? + start;
            Some(l[start..end].to_string())
        })
        .collect()
}

pub fn dist(opts: &DistOptions) -> Result<(), String> {
    let root = root();
    let pkg = build_wasm()?;
    std::fs::write(pkg.join("start.js"), start_js()).map_err(|e| e.to_string())?;
    // the catalogues the split build does not compile in (see `i18n::Locale::source`)
    let zh = root.join("locales/zh.json");
    io(&zh, std::fs::copy(&zh, pkg.join("zh.json")))?;
    let files = files_under(&pkg)?;
    let build_id = hex(files.iter().fold(FNV_OFFSET, |h, (name, data)| {
        fnv(data, fnv(name.as_bytes(), h))
    }))[..12]
        .to_string();
    let source = io(
        &root.join("index.html"),
        std::fs::read_to_string(root.join("index.html")),
    )?;
    // stylesheets: one file, named by its contents
    let mut css = String::new();
    for f in css_sources(&source) {
        let path = root.join(&f);
        css.push_str(&io(&path, std::fs::read_to_string(&path))?);
        css.push('\n');
    }
    let css_name = format!("style-{}.css", &hex(fnv(css.as_bytes(), FNV_OFFSET))[..12]);
    // write dist/ afresh
    let out = &opts.out;
    if out.exists() {
        io(out, std::fs::remove_dir_all(out))?;
    }
    copy_dir(&root.join("public"), out)?;
    let pkg_dir = format!("pkg/{build_id}");
    copy_dir(&pkg, &out.join(&pkg_dir))?;
    io(out, std::fs::write(out.join(&css_name), css))?;
    let html = index_html(&source, &opts.public_url, &[css_name], &pkg_dir)?;
    io(out, std::fs::write(out.join("index.html"), html))?;
    let chunks = files.keys().filter(|f| f.ends_with(".wasm")).count() - 1;
    println!(
        "dist: {} (public URL {}, build {build_id}: main module + {chunks} chunks)",
        out.display(),
        opts.public_url
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <base data-trunk-public-url />
    <meta name="thaw-ui-style" />
    <link data-trunk rel="rust" data-wasm-opt="z" data-bin="gateway-console" />
    <link data-trunk rel="css" href="style/main.css" />
    <link data-trunk rel="css" href="style/forms.css" />
    <link data-trunk rel="copy-dir" href="public" data-target-path="." />
  </head>
  <body></body>
</html>
"#;

    #[test]
    fn index_html_names_the_build_and_the_public_url() {
        let html = index_html(SOURCE, "/ui/", &["style-0123.css".into()], "pkg/abc").unwrap();
        assert!(html.contains(r#"<base href="/ui/" />"#));
        assert!(html.contains(r#"<script type="module" src="pkg/abc/start.js"></script>"#));
        assert!(html.contains(r#"href="pkg/abc/gateway-console_bg.wasm" as="fetch""#));
        assert_eq!(html.matches("rel=\"stylesheet\"").count(), 1);
        assert!(!html.contains("data-trunk"));
        assert!(html.contains(r#"<meta name="thaw-ui-style" />"#));
        assert!(html.contains("Content-Security-Policy"));
        assert!(html.find("Content-Security-Policy") < html.find("<script"));
    }

    #[test]
    fn unknown_trunk_directives_are_refused() {
        let source = SOURCE.replace(
            "<meta name",
            "<link data-trunk rel=\"sass\" href=\"x\" /><meta name",
        );
        assert!(index_html(&source, "/", &[], "pkg/x").is_err());
    }

    #[test]
    fn stylesheets_in_order() {
        assert_eq!(css_sources(SOURCE), ["style/main.css", "style/forms.css"]);
    }

    #[test]
    fn options() {
        let o = DistOptions::from_args(&["--public-url".into(), "/ui".into()]).unwrap();
        assert_eq!(o.public_url, "/ui/");
        assert!(DistOptions::from_args(&["--public-url".into(), "ui".into()]).is_err());
    }
}
