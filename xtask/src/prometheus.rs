//! A real Prometheus beside devcluster (`cargo xtask run`): its data directory already holds
//! the week devcluster backfilled (`--prometheus-data`), it scrapes devcluster's http_sd
//! targets, and devcluster's service proxy `prometheus-k8s:9090` forwards to it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::util;

/// How often Prometheus scrapes in development (the e2e harness and the Rust tests use 2 s so
/// that the first scrape comes sooner).
pub const DEV_SCRAPE_INTERVAL: &str = "5s";
/// How long Prometheus keeps data (the backfill is 7 days).
pub const RETENTION: &str = "15d";

/// The scrape configuration: one job over devcluster's http_sd targets (each target names its
/// own `job`: `<gateway>-metrics` or `kubelet`).
pub fn config(metrics_addr: &str, interval: &str) -> String {
    format!(
        "global:\n  scrape_interval: {interval}\n  scrape_timeout: {interval}\n  evaluation_interval: {interval}\nscrape_configs:\n  - job_name: devcluster\n    http_sd_configs:\n      - url: http://{metrics_addr}/targets\n        refresh_interval: 5s\n"
    )
}

/// Starts Prometheus on `data` (logs in `dir/prometheus.log`) and waits until it is ready.
pub fn start(
    dir: &Path,
    data: &Path,
    metrics_addr: &str,
    listen: &str,
    interval: &str,
) -> Result<Child, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let config_file = dir.join("prometheus.yml");
    std::fs::write(&config_file, config(metrics_addr, interval))
        .map_err(|e| format!("{}: {e}", config_file.display()))?;
    let log_file = dir.join("prometheus.log");
    let log =
        std::fs::File::create(&log_file).map_err(|e| format!("{}: {e}", log_file.display()))?;
    let mut child = Command::new("prometheus")
        .arg(format!("--config.file={}", config_file.display()))
        .arg(format!("--storage.tsdb.path={}", data.display()))
        .arg(format!("--storage.tsdb.retention.time={RETENTION}"))
        .arg(format!("--web.listen-address={listen}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot run prometheus ({e}); run `cargo xtask setup`"))?;
    let started = Instant::now();
    if let Err(e) = util::wait_http_while_running(&mut child, listen, "/-/ready", 60) {
        util::stop(&mut child);
        return Err(format!(
            "Prometheus did not start: {e} (see {})",
            log_file.display()
        ));
    }
    println!(
        "xtask: Prometheus ready on http://{listen}/ after {:.1} s (log: {})",
        started.elapsed().as_secs_f64(),
        log_file.display()
    );
    Ok(child)
}
