//! Seven days of history in a Prometheus data directory before Prometheus starts: the series
//! of the controller pods that exist at the start (and their cAdvisor series), as a real
//! Prometheus would have scraped them (target labels, `exported_namespace`), written as
//! OpenMetrics and turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`.
//!
//! Four segments ([`crate::history::Timeline::segments`]): the week up to `W` (cached per
//! 6-hour block), the hours up to `H` (cached per half hour), the tail up to `T` (cached per 10
//! minutes) and the last ≤ 10 minutes up to the start (written at every start). Cached segments live in `<cache>/<fingerprint>-<segment>-<anchor>/`; the
//! fingerprint covers the pods' series and the devcluster executable, so a new scenario, seed
//! or build gets new blocks. Blocks are hard-linked (or copied) into the data directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::history::{advance_to, spacing, Timeline, TICK};
use crate::metrics::{
    cadvisor_samples, kubelet_target_labels, sample_id, samples, scraped_series, PodModel,
    PodState, Sample, FAMILIES, HISTORY_WITHOUT_BUCKETS,
};
use crate::traffic::{hash_str, mix};
use crate::workloads::Workloads;

/// Gauges are backfilled at least this often (seconds): they are queried raw, and Prometheus
/// looks back 5 minutes for an instant value.
pub const GAUGE_SPACING: i64 = 240;

/// What one segment cost.
#[derive(Debug, Clone)]
pub struct SegmentReport {
    pub name: &'static str,
    pub from: i64,
    pub to: i64,
    /// False when the blocks came from the cache.
    pub generated: bool,
    pub series: usize,
    pub samples: u64,
    pub seconds: f64,
}

/// What [`prepare`] did.
#[derive(Debug, Clone)]
pub struct Report {
    pub pods: usize,
    pub segments: Vec<SegmentReport>,
    pub seconds: f64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "backfilled {} pods in {:.2} s:", self.pods, self.seconds)?;
        for s in &self.segments {
            write!(
                f,
                " {} {} ({} series, {} samples, {:.2} s);",
                s.name,
                if s.generated { "generated" } else { "cached" },
                s.series,
                s.samples,
                s.seconds
            )?;
        }
        Ok(())
    }
}

/// A pod to backfill: its model and the kubelet target its cAdvisor series come from.
struct Pod {
    model: PodModel,
    kubelet: Vec<(String, String)>,
}

fn pods(w: &Workloads) -> Vec<Pod> {
    let nodes = w.store.select(crate::registry::id("", "nodes"), None, "");
    let node_ip = |node: &str| {
        nodes
            .iter()
            .find(|n| n["metadata"]["name"] == node)
            .and_then(|n| {
                n["status"]["addresses"].as_array().and_then(|a| {
                    a.iter()
                        .find(|a| a["type"] == "InternalIP")
                        .and_then(|a| a["address"].as_str().map(str::to_string))
                })
            })
            .unwrap_or_default()
    };
    w.history_pods()
        .iter()
        .map(|p: &Value| {
            let model = w.pod_model(p);
            let kubelet = kubelet_target_labels(&model.node, &node_ip(&model.node));
            Pod { model, kubelet }
        })
        .collect()
}

/// The devcluster build: a rebuilt executable invalidates the cache.
fn exe_identity() -> String {
    std::env::current_exe()
        .and_then(|p| {
            let m = std::fs::metadata(&p)?;
            Ok(format!(
                "{}|{}|{:?}",
                p.display(),
                m.len(),
                m.modified().ok()
            ))
        })
        .unwrap_or_default()
}

fn fingerprint(w: &Workloads, pods: &[Pod]) -> String {
    let mut text = format!("v1|{}|{}|", w.seed, exe_identity());
    for p in pods {
        text.push_str(&p.model.fingerprint());
        text.push_str(&format!("{:?}", p.kubelet));
    }
    format!("{:016x}", mix(&[hash_str(&text), text.len() as u64]))
}

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Writes the OpenMetrics of `[from, to)` (`to` included when `inclusive`), sampled by
/// [`spacing`] of the age relative to `reference`, split by time into one file per path (so
/// that promtool can turn them into blocks in parallel). Returns (series, samples).
fn write_openmetrics(
    pods: &[Pod],
    tl: &Timeline,
    from: i64,
    to: i64,
    inclusive: bool,
    reference: i64,
    paths: &[PathBuf],
) -> Result<(usize, u64), String> {
    let mut outs = Vec::new();
    for path in paths {
        let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        outs.push(std::io::BufWriter::with_capacity(1 << 20, file));
    }
    // (time, counters too): counters and histograms at `spacing`, gauges at least every
    // GAUGE_SPACING (queried raw, they need a sample within Prometheus' 5-minute lookback)
    let mut times: Vec<(i64, bool)> = Vec::new();
    {
        let mut t =
            from.div_euclid(TICK) * TICK + if from.rem_euclid(TICK) == 0 { 0 } else { TICK };
        while t < to || (inclusive && t == to) {
            let every = spacing(reference - t);
            let last = inclusive && t == to;
            if t % every == 0 || last {
                times.push((t, true));
            } else if t % every.min(GAUGE_SPACING) == 0 {
                times.push((t, false));
            }
            t += TICK;
        }
    }
    // equal shares of the samples per file (a gauge-only time has few)
    let weight = |c: bool| if c { 40 } else { 1 };
    let total: u64 = times.iter().map(|(_, c)| weight(*c)).sum();
    let mut bounds = Vec::new();
    let mut acc = 0;
    for (t, c) in &times {
        acc += weight(*c);
        if bounds.len() + 1 < paths.len()
            && acc * paths.len() as u64 > total * (bounds.len() as u64 + 1)
        {
            bounds.push(*t + 1);
        }
    }
    let part_of = |t: i64| bounds.iter().filter(|b| t >= **b).count();
    let mut total_series = 0;
    let mut total_samples = 0u64;
    for pod in pods {
        let mut state = PodState::starting(tl.origin);
        let mut index: std::collections::HashMap<u64, usize> = Default::default();
        let mut series: Vec<(String, Vec<(i64, f64)>)> = Vec::new();
        for &(t, counters) in &times {
            advance_to(&mut state, &pod.model.traffic, t);
            let reload = tl.reload_state(t);
            let mut add = |s: Sample<'_>, target: &[(String, String)]| {
                if s.suffix == "_bucket" && HISTORY_WITHOUT_BUCKETS.contains(&s.family) {
                    return;
                }
                if !counters && FAMILIES[s.family].1 != "gauge" {
                    return;
                }
                let id = sample_id(&s);
                let i = *index.entry(id).or_insert_with(|| {
                    series.push((scraped_series(target, &s), Vec::new()));
                    series.len() - 1
                });
                series[i].1.push((t, s.value));
            };
            samples(&pod.model, &state, &reload, t, &mut |s| {
                add(s, &pod.model.targets)
            });
            for family in [21, 22] {
                cadvisor_samples(&pod.model, &state, t, family, &mut |s| add(s, &pod.kubelet));
            }
        }
        for (key, points) in &series {
            for (t, v) in points {
                writeln!(outs[part_of(*t)], "{key} {} {t}", fmt_value(*v))
                    .map_err(|e| e.to_string())?;
            }
            total_samples += points.len() as u64;
        }
        total_series += series.len();
    }
    for mut out in outs {
        writeln!(out, "# EOF").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }
    Ok((total_series, total_samples))
}

/// Writes `[from, to)` as OpenMetrics into `work` and turns it into blocks there, in parallel
/// parts. Returns (series, samples, block directories).
#[allow(clippy::too_many_arguments)]
fn build_blocks(
    pods: &[Pod],
    tl: &Timeline,
    from: i64,
    to: i64,
    inclusive: bool,
    reference: i64,
    work: &Path,
) -> Result<(usize, u64, Vec<PathBuf>), String> {
    // promtool reads its input once per block plus once: big segments in parallel parts
    let parts = if to - from < 3600 {
        1
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4))
    };
    let files: Vec<PathBuf> = (0..parts)
        .map(|i| work.join(format!("part-{i}.om")))
        .collect();
    let (series, samples) = write_openmetrics(pods, tl, from, to, inclusive, reference, &files)?;
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let out = work.join(format!("part-{i}"));
                scope.spawn(move || create_blocks(f, &out))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("promtool thread panicked".into()))
            })
            .collect()
    });
    for r in results {
        r?;
    }
    let mut found = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let _ = std::fs::remove_file(f);
        found.extend(blocks(&work.join(format!("part-{i}"))));
    }
    Ok((series, samples, found))
}

/// `promtool` (or `$PROMTOOL`).
pub fn promtool() -> String {
    std::env::var("PROMTOOL").unwrap_or_else(|_| "promtool".into())
}

fn create_blocks(openmetrics: &Path, out: &Path) -> Result<(), String> {
    let result = Command::new(promtool())
        .args(["tsdb", "create-blocks-from", "openmetrics", "--quiet"])
        // one block per segment where possible (promtool re-reads the file per block)
        .arg("--max-block-duration=2000h")
        .arg(openmetrics)
        .arg(out)
        .output()
        .map_err(|e| {
            format!(
                "cannot run {} ({e}); install Debian's `prometheus` package (`cargo xtask setup`)",
                promtool()
            )
        })?;
    if !result.status.success() {
        return Err(format!(
            "promtool tsdb create-blocks-from openmetrics failed: {}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    Ok(())
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(from).map_err(|e| format!("{}: {e}", from.display()))?;
    if meta.is_dir() {
        std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
        for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
            let entry = entry.map_err(|e| e.to_string())?;
            link_or_copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else if std::fs::hard_link(from, to).is_ok() {
        Ok(())
    } else {
        std::fs::copy(from, to)
            .map(|_| ())
            .map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
    }
}

/// Block directories (ULIDs) in `dir`.
fn blocks(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join("meta.json").exists())
                .collect()
        })
        .unwrap_or_default()
}

/// Removes cache entries untouched for more than a day and stale temporary directories.
fn prune(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for e in entries.flatten() {
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| m.elapsed().ok())
            .map_or(0, |d| d.as_secs());
        let tmp = e.file_name().to_string_lossy().contains(".tmp-");
        if age > 26 * 3600 || (tmp && age > 3600) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Writes the history into the (empty or new) Prometheus data directory `data`, reusing and
/// filling the block cache in `cache`.
pub fn prepare(w: &Workloads, data: &Path, cache: &Path) -> Result<Report, String> {
    let started = Instant::now();
    let tl = &w.timeline;
    let pods = pods(w);
    std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    prune(cache);
    let mut report = Report {
        pods: pods.len(),
        segments: Vec::new(),
        seconds: 0.0,
    };
    if pods.is_empty() {
        return Ok(report);
    }
    let fp = fingerprint(w, &pods);
    for seg in tl.segments() {
        let t0 = Instant::now();
        let mut rep = SegmentReport {
            name: seg.name,
            from: seg.from,
            to: seg.to,
            generated: false,
            series: 0,
            samples: 0,
            seconds: 0.0,
        };
        if !seg.cached {
            // written at every start, straight into the data directory
            let tmp = data.join(".devcluster-backfill");
            let _ = std::fs::remove_dir_all(&tmp);
            std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
            let (series, samples, found) =
                build_blocks(&pods, tl, seg.from, seg.to, true, seg.reference, &tmp)?;
            for block in found {
                let target = data.join(block.file_name().unwrap_or_default());
                std::fs::rename(&block, &target)
                    .map_err(|e| format!("{}: {e}", target.display()))?;
            }
            let _ = std::fs::remove_dir_all(&tmp);
            rep.generated = true;
            rep.series = series;
            rep.samples = samples;
        } else {
            let dir = cache.join(format!("{fp}-{}-{}", seg.name, seg.to));
            if !dir.join("complete").exists() {
                let tmp = cache.join(format!(
                    "{fp}-{}-{}.tmp-{}-{}",
                    seg.name,
                    seg.to,
                    std::process::id(),
                    mix(&[jiff::Timestamp::now().as_nanosecond() as u64])
                ));
                let work = tmp.join("work");
                std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
                let (series, samples, found) =
                    build_blocks(&pods, tl, seg.from, seg.to, false, seg.reference, &work)?;
                for block in found {
                    let target = tmp.join(block.file_name().unwrap_or_default());
                    std::fs::rename(&block, &target)
                        .map_err(|e| format!("{}: {e}", target.display()))?;
                }
                let _ = std::fs::remove_dir_all(&work);
                std::fs::write(
                    tmp.join("complete"),
                    format!("{series} series, {samples} samples\n"),
                )
                .map_err(|e| e.to_string())?;
                if std::fs::rename(&tmp, &dir).is_err() {
                    // another devcluster made it meanwhile
                    let _ = std::fs::remove_dir_all(&tmp);
                }
                rep.generated = true;
                rep.series = series;
                rep.samples = samples;
            } else if let Ok(text) = std::fs::read_to_string(dir.join("complete")) {
                let mut words = text.split_whitespace();
                rep.series = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                rep.samples = words.nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            }
            for block in blocks(&dir) {
                link_or_copy(&block, &data.join(block.file_name().unwrap_or_default()))?;
            }
        }
        rep.seconds = t0.elapsed().as_secs_f64();
        report.segments.push(rep);
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
