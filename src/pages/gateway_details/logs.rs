//! Details → Gateway Logs (KubeSphere needs its Elasticsearch module for this; we read the pod
//! log subresource): the `controller` logs of the gateway's pods merged by time into one
//! bounded buffer, followed live, filtered or searched, as lines or as a table of access
//! requests, downloadable. Every setting is in the URL (`gateway_model::logs::view_state`).
//!
//! Streams: the pod watch, plus one request per pod — followed ones stay open, so only as many
//! pods are followed as the browser's connections to the API allow (6 per host over HTTP/1.1,
//! minus the page's watches); the others are loaded once and the page says so.

use gateway_model::logs::ansi::{self, Color, Style};
use gateway_model::logs::buffer::DEFAULT_CAPACITY;
use gateway_model::logs::class::{Level, Severities};
use gateway_model::logs::export::{export_file_name, export_text, PrefixOptions, TRUNCATED_MARKER};
use gateway_model::logs::request::{follow_budget, BROWSER_CONNECTIONS_PER_HOST};
use gateway_model::logs::table::{access_rows, sort_rows, AccessRow, AccessStats, Column};
use gateway_model::logs::time::TimestampDisplay;
use gateway_model::logs::view_state::{LogViewState, LogWindow, Since, Tail, Timestamps};
use gateway_model::logs::{CompiledQuery, FilterView, LogEntry, LogQuery, QueryError, SearchMode};
use gateway_model::names::pod_selector;
use gateway_model::pods::PodView;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::DetailsContext;
use crate::api::use_client;
use crate::components::inline_error::InlineError;
use crate::components::sync_badge::SyncBadge;
use crate::components::virtual_rows::VirtualRows;
use crate::i18n::{t, tr};
use crate::state::live::LiveList;
use crate::state::pod_logs::{LogSession, LogSource, PodLogStatus};

/// Streams this tab's page holds besides the logs: the header's three watches and the pods.
const OTHER_STREAMS: usize = 4;
/// Connections left free for ordinary requests (chunks, reviews, writes): with every
/// connection held by a stream, the browser would queue them until a stream ends.
const REQUEST_RESERVE: usize = 1;
/// Lines tested per animation frame when a new filter runs over the whole buffer.
const FILTER_BUDGET: usize = 25_000;
/// The table parses at most this many of the newest matching lines.
const TABLE_MAX_ROWS: usize = 50_000;

/// Whether the API is reached over HTTP/2 or newer (one connection carries every stream): read
/// from the Resource Timing of the requests already made to it.
fn api_multiplexed(api_base: &str) -> bool {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return false;
    };
    let entries = performance.get_entries_by_type("resource");
    entries.iter().rev().any(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let protocol = js_sys::Reflect::get(&e, &"nextHopProtocol".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        name.contains(api_base) && (protocol == "h2" || protocol == "h3")
    })
}

/// The 256-colour xterm palette beyond the 16 named colours (which come from the theme).
fn xterm_rgb(n: u8) -> (u8, u8, u8) {
    match n {
        16..=231 => {
            let i = n - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        232..=255 => {
            let v = 8 + (n - 232) * 10;
            (v, v, v)
        }
        _ => (0, 0, 0),
    }
}

fn color_css(color: Color, property: &str) -> (Option<String>, Option<String>) {
    match color {
        Color::Indexed(n) if n < 16 => (Some(format!("ansi-{property}-{n}")), None),
        Color::Indexed(n) => {
            let (r, g, b) = xterm_rgb(n);
            (None, Some(format!("{property}:rgb({r},{g},{b});")))
        }
        Color::Rgb(r, g, b) => (None, Some(format!("{property}:rgb({r},{g},{b});"))),
    }
}

/// CSS classes and inline style of an ANSI style (numbers only: no cluster text in either).
fn style_css(style: Style, highlight: bool, current: bool) -> (String, String) {
    let mut classes = Vec::new();
    let mut inline = String::new();
    for (color, property) in [(style.fg, "color"), (style.bg, "background")] {
        if let Some(color) = color {
            let (class, css) = color_css(color, if property == "color" { "fg" } else { "bg" });
            if let Some(class) = class {
                classes.push(class);
            }
            if let Some(css) = css {
                inline.push_str(&css.replacen("fg:", "color:", 1).replacen(
                    "bg:",
                    "background:",
                    1,
                ));
            }
        }
    }
    for (on, class) in [
        (style.bold, "ansi-bold"),
        (style.dim, "ansi-dim"),
        (style.italic, "ansi-italic"),
        (style.underline, "ansi-underline"),
    ] {
        if on {
            classes.push(class.to_string());
        }
    }
    if highlight {
        classes.push(
            if current {
                "log-match log-match--current"
            } else {
                "log-match"
            }
            .into(),
        );
    }
    (classes.join(" "), inline)
}

fn level_class(entry: &LogEntry) -> &'static str {
    match entry.class.level() {
        Level::Error => "log-line log-line--error",
        Level::Warning => "log-line log-line--warning",
        Level::Info => "log-line",
    }
}

/// One line: timestamp, pod, then the text in its ANSI styles with the matches marked.
fn line_view(
    entry: &LogEntry,
    prefix: (String, String),
    pod_color: u8,
    highlights: &[std::ops::Range<usize>],
    current: bool,
) -> AnyView {
    let styled = ansi::parse(&entry.text);
    let segments = ansi::segments(&styled, highlights);
    let (ts, pod) = prefix;
    let text = styled.text;
    view! {
        <div class=level_class(entry) data-testid="log-line">
            {(!ts.is_empty()).then(|| view! { <span class="log-line__ts">{ts}</span>" " })}
            {(!pod.is_empty()).then(|| view! { <span class=format!("log-line__pod pod-color-{pod_color}") data-testid="log-line-pod">{pod}</span>" " })}
            <span class="log-line__text" data-testid="log-line-text">
                {segments.into_iter().map(|s| {
                    let (class, style) = style_css(s.style, s.highlight, current);
                    let part = text.get(s.range.clone()).unwrap_or_default().to_string();
                    if class.is_empty() && style.is_empty() {
                        view! { <span>{part}</span> }.into_any()
                    } else {
                        view! { <span class=class style=style>{part}</span> }.into_any()
                    }
                }).collect_view()}
                {entry.truncated.then(|| view! { <span class="log-line__marker">{TRUNCATED_MARKER}</span> })}
            </span>
        </div>
    }
    .into_any()
}

#[component]
pub fn LogsTab(context: DetailsContext) -> impl IntoView {
    let client = use_client();
    let config = crate::config::use_config();
    let api_base = config.config.api_base.clone();
    let query_map = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let DetailsContext {
        namespace,
        name,
        gateway,
        ..
    } = context;

    // the view, from the URL; every change is written back to it (replacing the entry)
    let state = Memo::new(move |_| query_map.with(|q| LogViewState::from_query(|k| q.get(k))));
    let write = move |next: LogViewState| {
        navigate.with_value(|n| crate::routes::replace_query(n, next.to_query_pairs()));
    };
    let update = move |f: &dyn Fn(&mut LogViewState)| {
        let mut next = state.get_untracked();
        f(&mut next);
        write(next);
    };

    // the pods, live
    let pods: LiveList<PodView> = LiveList::start(
        client.clone(),
        Request::new(PodView::url_path(&(), Some(&namespace))),
        ListParams::default().labels_from(&pod_selector(&name)),
    );
    let pod_names = Memo::new(move |_| {
        pods.cache.with(|c| {
            let mut names: Vec<String> = c.iter().map(|p| p.name().to_string()).collect();
            names.sort();
            names
        })
    });
    // pods whose container has started (a pending pod's log answers 400 until it runs)
    let loggable = Memo::new(move |_| {
        pods.cache.with(|c| {
            let mut names: Vec<String> = c
                .iter()
                .filter(|p| p.status_text() != "Pending" && p.status_text() != "ContainerCreating")
                .map(|p| p.name().to_string())
                .collect();
            names.sort();
            names
        })
    });

    // the logs
    let session = LogSession::new(DEFAULT_CAPACITY);
    Effect::new(move |_| {
        let custom = gateway.with(|g| g.config().get("log-format-upstream").cloned());
        session.set_access_format(custom);
    });
    let budget = if api_multiplexed(&api_base) {
        usize::MAX
    } else {
        follow_budget(OTHER_STREAMS + REQUEST_RESERVE)
    };
    {
        let client = client.clone();
        let namespace = namespace.clone();
        Effect::new(move |_| {
            if !pods.listed.get() {
                return;
            }
            let source = LogSource::of(&state.get());
            loggable.with(|names| session.sync(&client, &namespace, &source, names, budget));
        });
    }

    // the rows shown: filter (or find) over the buffer, incrementally, a budget per frame
    let rows = StoredValue::new_local(FilterView::new());
    let compiled = StoredValue::new_local(None::<CompiledQuery>);
    let query_error = RwSignal::new(None::<QueryError>);
    let row_count = RwSignal::new(0usize);
    let hit_count = RwSignal::new(0usize);
    let version = RwSignal::new(0u64);
    let more = RwSignal::new(0u64);
    let filtering = RwSignal::new(false);
    let log_query = Memo::new(move |_| state.with(|s| s.query.clone()));
    let filter_marked = StoredValue::new(None::<String>);
    let mode = Memo::new(move |_| state.with(|s| s.mode));
    Effect::new(move |_| match log_query.get().compile() {
        Ok(c) => {
            compiled.set_value(Some(c));
            query_error.set(None);
        }
        Err(e) => query_error.set(Some(e)),
    });
    Effect::new(move |_| {
        session.revision.track();
        more.track();
        query_error.track();
        let mode = mode.get();
        let status = compiled
            .try_with_value(|c| {
                let c = c.as_ref()?;
                session.with_buffer(|b| {
                    rows.try_update_value(|r| r.sync_some(b, c, mode, FILTER_BUDGET))
                })?
            })
            .flatten();
        let Some(status) = status else { return };
        if !status.complete {
            request_animation_frame(move || {
                more.try_update(|n| *n += 1);
            });
        }
        filtering.set(!status.complete);
        let (n, hits) = rows
            .try_with_value(|r| (r.len(), r.hit_count()))
            .unwrap_or((0, 0));
        row_count.set(n);
        hit_count.set(hits);
        version.update(|v| *v += 1);
        // the benchmark's mark: a filter text applied to every line and drawn
        let text = log_query.with_untracked(|q| q.text.clone());
        if status.complete && filter_marked.with_value(|m| m.as_deref() != Some(text.as_str())) {
            filter_marked.set_value(Some(text.clone()));
            request_animation_frame(move || {
                crate::perf::mark_with_detail(
                    "gateway-console:logs-filtered",
                    &[("rows", (n as f64).into()), ("query", text.as_str().into())],
                );
            });
        }
    });
    // the benchmark's mark: every pod's window has arrived (the followed ones: their first
    // lines) and is drawn; once per source
    let ingest_marked = StoredValue::new(None::<LogSource>);
    Effect::new(move |_| {
        session.revision.track();
        let source = LogSource::of(&state.get());
        let done = session.pending.get() == 0
            && !filtering.get()
            && session
                .status
                .with(|s| !s.is_empty() && s.values().all(|st| *st != PodLogStatus::Loading));
        if done && ingest_marked.with_value(|m| m.as_ref() != Some(&source)) {
            ingest_marked.set_value(Some(source));
            let lines = session.with_buffer(|b| b.len()).unwrap_or(0);
            request_animation_frame(move || {
                crate::perf::mark_with_detail(
                    "gateway-console:logs-ingested",
                    &[("lines", (lines as f64).into())],
                );
            });
        }
    });

    // find: the current hit
    let current_hit = RwSignal::new(None::<usize>);
    let reveal = RwSignal::new(None::<usize>);
    let go_hit = move |forward: bool| {
        let row = rows
            .try_with_value(|r| {
                let from = current_hit.get_untracked().and_then(|k| r.hit_row(k));
                let next = r.next_hit(from, forward)?;
                (0..r.hit_count())
                    .find(|&k| r.hit_row(k) == Some(next))
                    .map(|k| (k, next))
            })
            .flatten();
        if let Some((k, row)) = row {
            current_hit.set(Some(k));
            reveal.set(Some(row));
        }
    };
    Effect::new(move |_| {
        log_query.track();
        current_hit.set(None);
    });

    // following: the list keeps to its end until the user scrolls up
    let at_end = RwSignal::new(true);
    let to_end = RwSignal::new(0u64);
    let paused_at = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let end = at_end.get();
        if end {
            paused_at.set(None);
        } else if paused_at.get_untracked().is_none() {
            paused_at.set(Some(row_count.get_untracked()));
        }
    });
    let new_lines = move || {
        paused_at
            .get()
            .map(|p| row_count.get().saturating_sub(p))
            .filter(|n| *n > 0)
    };

    let prefix = Memo::new(move |_| {
        let s = state.get();
        let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
        PrefixOptions {
            pod: s.pods.len() != 1 && pod_names.with(|p| p.len() > 1),
            timestamps: s.timestamps.display(offset),
        }
    });
    let render_line = Callback::new(move |row: usize| {
        let opts = prefix.get_untracked();
        let current = current_hit
            .get_untracked()
            .and_then(|k| rows.try_with_value(|r| r.hit_row(k)).flatten())
            == Some(row);
        let find = mode.get_untracked() == SearchMode::Find;
        rows.try_with_value(|r| {
            session
                .with_buffer(|b| {
                    let entry = r.entry(b, row)?;
                    let ts = gateway_model::logs::export::timestamp_text(entry, opts.timestamps);
                    let pod = if opts.pod {
                        gateway_model::logs::export::pod_text(entry, b.pods())
                    } else {
                        String::new()
                    };
                    let color = b.pods().get(entry.pod).map(|p| p.color).unwrap_or(0);
                    let plain = ansi::strip(&entry.text);
                    let highlights = compiled
                        .try_with_value(|c| {
                            c.as_ref()
                                .filter(|c| find || !c.matches_all_text())
                                .map(|c| c.find_ranges(&plain))
                        })
                        .flatten()
                        .unwrap_or_default();
                    Some(line_view(entry, (ts, pod), color, &highlights, current))
                })
                .flatten()
        })
        .flatten()
        .unwrap_or_else(|| view! { <div class="log-line"></div> }.into_any())
    });

    // download
    let gateway_name = StoredValue::new(name.clone());
    let download = move |all: bool| {
        let opts = prefix.get_untracked();
        let text = session.with_buffer(|b| {
            if all {
                export_text(b.iter(), b.pods(), opts)
            } else {
                rows.try_with_value(|r| {
                    export_text((0..r.len()).filter_map(|i| r.entry(b, i)), b.pods(), opts)
                })
                .unwrap_or_default()
            }
        });
        if let Some(text) = text {
            let now = (js_sys::Date::now() / 1000.0) as i64;
            crate::download::save_file(
                &export_file_name(&gateway_name.get_value(), now),
                &text,
                "text/plain",
            );
        }
    };

    view! {
        <div class="logs-tab" data-testid="logs-tab">
            <SourceBar state update pod_names/>
            <FilterBar state update query_error hit_count current_hit go_hit/>
            <div class="logs-status-row">
                <SyncBadge state=pods.sync/>
                <StatusLine session pods=pod_names state row_count filtering new_lines to_end download/>
            </div>
            {move || pods.initial_error.get().map(|error| view! { <InlineError error/> })}
            <div class="logs-view">
                {move || if state.with(|s| s.table) {
                    view! { <AccessTable session rows version row_count/> }.into_any()
                } else {
                    view! {
                        <VirtualRows
                            class=Signal::derive(move || if state.with(|s| s.wrap) { "log-lines log-lines--wrap".to_string() } else { "log-lines".to_string() })
                            count=row_count
                            version=Signal::derive(move || version.get() + prefix.with(|_| 0) + current_hit.get().map_or(0, |k| k as u64 + 1))
                            render=render_line
                            follow=Signal::derive(move || state.with(LogViewState::effective_follow))
                            at_end
                            to_end
                            reveal
                            label=Signal::derive(move || t("GATEWAY_LOGS"))
                        />
                        {move || (row_count.get() == 0 && !filtering.get()).then(|| {
                            let key = if session.revision.get() > 0 && session.with_buffer(|b| !b.is_empty()).unwrap_or(false) { "LOGS_NO_MATCH" } else { "LOGS_EMPTY" };
                            view! { <p class="details-panel__empty" data-testid="logs-empty">{t(key)}</p> }
                        })}
                    }.into_any()
                }}
            </div>
        </div>
    }
}

/// Which pods, container instance, window, follow; columns; table; download.
#[component]
fn SourceBar(
    state: Memo<LogViewState>,
    update: impl Fn(&dyn Fn(&mut LogViewState)) + Copy + Send + Sync + 'static,
    pod_names: Memo<Vec<String>>,
) -> impl IntoView {
    let windows: Vec<(String, &'static str, LogWindow)> = vec![
        (
            "tail-100".into(),
            "LOGS_TAIL_100",
            LogWindow::Tail(Tail::Lines100),
        ),
        (
            "tail-1000".into(),
            "LOGS_TAIL_1000",
            LogWindow::Tail(Tail::Lines1000),
        ),
        (
            "tail-10000".into(),
            "LOGS_TAIL_10000",
            LogWindow::Tail(Tail::Lines10000),
        ),
        (
            "tail-all".into(),
            "LOGS_TAIL_ALL",
            LogWindow::Tail(Tail::All),
        ),
        (
            "since-5m".into(),
            "LOGS_SINCE_5M",
            LogWindow::Since(Since::Minutes5),
        ),
        (
            "since-1h".into(),
            "LOGS_SINCE_1H",
            LogWindow::Since(Since::Hour1),
        ),
        (
            "since-6h".into(),
            "LOGS_SINCE_6H",
            LogWindow::Since(Since::Hours6),
        ),
        (
            "since-24h".into(),
            "LOGS_SINCE_24H",
            LogWindow::Since(Since::Hours24),
        ),
    ];
    let windows = StoredValue::new(windows);
    let window_value = move || {
        let w = state.with(|s| s.window);
        windows
            .with_value(|ws| {
                ws.iter()
                    .find(|(_, _, x)| *x == w)
                    .map(|(v, _, _)| v.clone())
            })
            .unwrap_or_else(|| "custom".into())
    };
    view! {
        <div class="logs-bar" data-testid="logs-source">
            <label class="logs-field">
                <span>{move || t("PODS")}</span>
                <select
                    class="text-input"
                    data-testid="logs-pod"
                    prop:value=move || state.with(|s| s.pods.first().cloned().unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| s.pods = if v.is_empty() { Vec::new() } else { vec![v.clone()] });
                    }
                >
                    <option value="">{move || t("LOGS_ALL_PODS")}</option>
                    {move || {
                        let selected = state.with(|s| s.pods.first().cloned().unwrap_or_default());
                        pod_names.get().into_iter().map(|p| {
                            let is = p == selected;
                            view! { <option value=p.clone() selected=is>{p.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
            <label class="logs-field">
                <span>{move || t("LOGS_WINDOW")}</span>
                <select
                    class="text-input"
                    data-testid="logs-window"
                    prop:value=window_value
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(w) = windows.with_value(|ws| ws.iter().find(|(x, _, _)| *x == v).map(|(_, _, w)| *w)) {
                            update(&|s| s.window = w);
                        }
                    }
                >
                    {windows.with_value(|ws| ws.iter().map(|(value, key, _)| {
                        let key = *key;
                        let value = value.clone();
                        let selected = value == window_value();
                        view! { <option value=value selected=selected>{move || t(key)}</option> }
                    }).collect_view())}
                    {move || (window_value() == "custom").then(|| view! { <option value="custom" selected=true>{t("LOGS_CUSTOM_RANGE")}</option> })}
                </select>
            </label>
            <label class="switch-field">
                <input
                    type="checkbox"
                    data-testid="logs-follow"
                    prop:checked=move || state.with(|s| s.follow)
                    prop:disabled=move || state.with(|s| s.previous || !s.window.can_follow())
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        update(&|s| s.follow = on);
                    }
                />
                <span>{move || t("LOGS_FOLLOW")}</span>
            </label>
            <label class="switch-field">
                <input
                    type="checkbox"
                    data-testid="logs-previous"
                    prop:checked=move || state.with(|s| s.previous)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        update(&|s| s.previous = on);
                    }
                />
                <span>{move || t("LOGS_PREVIOUS")}</span>
            </label>
            <label class="logs-field">
                <span>{move || t("LOGS_TIMESTAMPS")}</span>
                <select
                    class="text-input"
                    data-testid="logs-timestamps"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let ts = match v.as_str() { "local" => Timestamps::Local, "utc" => Timestamps::Utc, _ => Timestamps::Off };
                        update(&|s| s.timestamps = ts);
                    }
                >
                    {[("off", "LOGS_TIMESTAMPS_OFF", Timestamps::Off), ("local", "LOGS_TIMESTAMPS_LOCAL", Timestamps::Local), ("utc", "LOGS_TIMESTAMPS_UTC", Timestamps::Utc)].into_iter().map(|(value, key, ts)| {
                        view! { <option value=value selected=move || state.with(|s| s.timestamps == ts)>{move || t(key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="switch-field">
                <input
                    type="checkbox"
                    data-testid="logs-wrap"
                    prop:checked=move || state.with(|s| s.wrap)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        update(&|s| s.wrap = on);
                    }
                />
                <span>{move || t("LOGS_WRAP")}</span>
            </label>
            <label class="switch-field">
                <input
                    type="checkbox"
                    data-testid="logs-table"
                    prop:checked=move || state.with(|s| s.table)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        update(&|s| s.table = on);
                    }
                />
                <span>{move || t("LOGS_TABLE")}</span>
            </label>
        </div>
    }
}

/// Filter or find: text or regex, case, invert; severities; next/previous match.
#[component]
fn FilterBar(
    state: Memo<LogViewState>,
    update: impl Fn(&dyn Fn(&mut LogViewState)) + Copy + Send + Sync + 'static,
    query_error: RwSignal<Option<QueryError>>,
    hit_count: RwSignal<usize>,
    current_hit: RwSignal<Option<usize>>,
    go_hit: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let toggle = move |testid: &'static str,
                       key: &'static str,
                       label: &'static str,
                       get: fn(&LogQuery) -> bool,
                       set: fn(&mut LogQuery, bool)| {
        view! {
            <button
                type="button"
                class="toggle-chip"
                data-testid=testid
                title=move || t(key)
                aria-label=move || t(key)
                aria-pressed=move || state.with(|s| get(&s.query)).to_string()
                on:click=move |_| update(&|s| {
                    let on = !get(&s.query);
                    set(&mut s.query, on)
                })
            >{label}</button>
        }
    };
    let severities: [(&'static str, Severities); 13] = [
        ("2xx", Severities::S2XX),
        ("3xx", Severities::S3XX),
        ("4xx", Severities::S4XX),
        ("5xx", Severities::S5XX),
        ("I", Severities::KLOG_I),
        ("W", Severities::KLOG_W),
        ("E", Severities::KLOG_E),
        ("F", Severities::KLOG_F),
        ("info", Severities::NGINX_INFO),
        ("warn", Severities::NGINX_WARN),
        ("error", Severities::NGINX_ERROR),
        ("crit", Severities::NGINX_CRIT),
        ("other", Severities::OTHER),
    ];
    let error_text = move || {
        query_error.get().map(|e| match e {
            QueryError::TooLong { max } => tr("LOGS_QUERY_TOO_LONG", &[("max", &max.to_string())]),
            QueryError::Regex(message) => tr("LOGS_BAD_REGEX", &[("message", &message)]),
        })
    };
    view! {
        <div class="logs-bar logs-filter" data-testid="logs-filter">
            <div class="segmented" role="group" aria-label=move || t("LOGS_MODE")>
                {[(SearchMode::Filter, "LOGS_MODE_FILTER", "logs-mode-filter"), (SearchMode::Find, "LOGS_MODE_FIND", "logs-mode-find")].into_iter().map(|(m, key, testid)| view! {
                    <button
                        type="button"
                        class="segmented__item"
                        data-testid=testid
                        aria-pressed=move || state.with(|s| s.mode == m).to_string()
                        on:click=move |_| update(&|s| s.mode = m)
                    >{move || t(key)}</button>
                }).collect_view()}
            </div>
            <div class="logs-search">
                <input
                    class="text-input"
                    type="search"
                    data-testid="logs-query"
                    aria-label=move || t("LOGS_SEARCH")
                    placeholder=move || t("LOGS_SEARCH")
                    aria-invalid=move || query_error.with(Option::is_some).to_string()
                    aria-describedby="logs-query-error"
                    prop:value=move || state.with(|s| s.query.text.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| s.query.text = v.clone());
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && state.with_untracked(|s| s.mode == SearchMode::Find) {
                            ev.prevent_default();
                            go_hit(!ev.shift_key());
                        }
                    }
                />
                {toggle("logs-regex", "LOGS_REGEX", ".*", |q| q.regex, |q, on| q.regex = on)}
                {toggle("logs-case", "LOGS_CASE", "Aa", |q| q.case_sensitive, |q, on| q.case_sensitive = on)}
                {toggle("logs-invert", "LOGS_INVERT", "!", |q| q.invert, |q, on| q.invert = on)}
            </div>
            {move || (state.with(|s| s.mode == SearchMode::Find)).then(|| view! {
                <div class="logs-find">
                    <span data-testid="logs-hits" aria-live="polite">{move || match current_hit.get() {
                        Some(k) => tr("LOGS_HIT_OF", &[("current", &(k + 1).to_string()), ("count", &hit_count.get().to_string())]),
                        None => tr("LOGS_HITS", &[("count", &hit_count.get().to_string())]),
                    }}</span>
                    <button type="button" class="icon-button" data-testid="logs-prev" aria-label=move || t("LOGS_PREVIOUS_MATCH") on:click=move |_| go_hit(false)>"↑"</button>
                    <button type="button" class="icon-button" data-testid="logs-next" aria-label=move || t("LOGS_NEXT_MATCH") on:click=move |_| go_hit(true)>"↓"</button>
                </div>
            })}
            <div class="logs-severities" role="group" aria-label=move || t("LOGS_SEVERITY")>
                {severities.into_iter().map(|(label, bit)| view! {
                    <button
                        type="button"
                        class="toggle-chip toggle-chip--small"
                        data-testid=format!("logs-sev-{label}")
                        aria-pressed=move || state.with(|s| s.query.severities.contains(bit)).to_string()
                        on:click=move |_| update(&|s| {
                            let on = !s.query.severities.contains(bit);
                            s.query.severities = s.query.severities.with(bit, on);
                        })
                    >{label}</button>
                }).collect_view()}
            </div>
            <p class="field-message field-message--error" id="logs-query-error" data-testid="logs-query-error" role="alert">
                {error_text}
            </p>
        </div>
    }
}

/// What is shown, what is followed, what was dropped; new lines while scrolled up; download.
#[component]
fn StatusLine(
    session: LogSession,
    pods: Memo<Vec<String>>,
    state: Memo<LogViewState>,
    row_count: RwSignal<usize>,
    filtering: RwSignal<bool>,
    new_lines: impl Fn() -> Option<usize> + Copy + Send + Sync + 'static,
    to_end: RwSignal<u64>,
    download: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let summary = move || {
        let statuses = session.status.get();
        let following = statuses
            .values()
            .filter(|s| **s == PodLogStatus::Following)
            .count();
        let not_followed = statuses
            .values()
            .filter(|s| **s == PodLogStatus::NotFollowed)
            .count();
        let total = state.with(|s| s.pods.len());
        let total = if total == 0 {
            pods.with(Vec::len)
        } else {
            total
        };
        let shown = row_count.get();
        let lines = session.with_buffer(|b| b.len()).unwrap_or(0);
        let mut parts = vec![tr(
            "LOGS_LINES_SHOWN",
            &[("shown", &shown.to_string()), ("total", &lines.to_string())],
        )];
        if state.with(LogViewState::effective_follow) {
            parts.push(tr(
                "LOGS_FOLLOWING",
                &[
                    ("following", &following.to_string()),
                    ("total", &total.to_string()),
                ],
            ));
        }
        if not_followed > 0 {
            parts.push(tr(
                "LOGS_BUDGET",
                &[("max", &BROWSER_CONNECTIONS_PER_HOST.to_string())],
            ));
        }
        parts.join(" · ")
    };
    let i18n = crate::i18n::use_i18n();
    let problems = move || {
        session.status.with(|s| {
            s.iter()
                .filter_map(|(pod, st)| match st {
                    PodLogStatus::Failed(e) => Some((pod.clone(), e.clone(), false)),
                    PodLogStatus::Reconnecting(e) => Some((pod.clone(), e.clone(), true)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    };
    let gone = move || {
        session.status.with(|s| {
            s.iter()
                .filter(|(_, st)| **st == PodLogStatus::Gone)
                .map(|(p, _)| p.clone())
                .collect::<Vec<_>>()
        })
    };
    let dropped = move || {
        session.revision.track();
        session.with_buffer(|b| b.dropped()).unwrap_or(0)
    };
    view! {
        <div class="logs-status-col">
        <div class="logs-status" data-testid="logs-status">
            <span data-testid="logs-summary">{summary}</span>
            {move || filtering.get().then(|| view! { <span class="muted">{t("LOGS_FILTERING")}</span> })}
            {move || (dropped() > 0).then(|| view! {
                <span class="flag flag--warning" data-testid="logs-dropped">{tr("LOGS_DROPPED", &[("count", &dropped().to_string()), ("max", &DEFAULT_CAPACITY.to_string())])}</span>
            })}
            {move || {
                let gone = gone();
                (!gone.is_empty()).then(|| view! { <span class="muted" data-testid="logs-gone">{tr("LOGS_PODS_GONE", &[("pods", &gone.join(", "))])}</span> })
            }}
            <span class="logs-status__spacer"></span>
            {move || new_lines().map(|n| view! {
                <button type="button" class="toggle-chip" data-testid="logs-new-lines" on:click=move |_| to_end.update(|v| *v += 1)>
                    {tr("LOGS_NEW_LINES", &[("count", &n.to_string())])}
                </button>
            })}
            <button type="button" class="link-button" data-testid="logs-download" on:click=move |_| download(false)>{move || t("LOGS_DOWNLOAD_SHOWN")}</button>
            <button type="button" class="link-button" data-testid="logs-download-all" on:click=move |_| download(true)>{move || t("LOGS_DOWNLOAD_ALL")}</button>
        </div>
        <div data-testid="logs-problems">
            {move || problems().into_iter().map(|(pod, error, retrying)| { let label = pod.clone(); view! {
                <p class="logs-problem" data-testid="logs-problem" data-pod=pod>
                    <span class="mono">{label}</span>": "
                    {move || error.message(i18n.locale.get())}
                    {retrying.then(|| view! { <span class="muted">" — "{t("LOGS_RECONNECTING")}</span> })}
                </p>
            }}).collect_view()}
        </div>
        </div>
    }
}

/// The access lines among the rows shown, as a sortable table; a status, path or upstream
/// filters by it.
#[component]
fn AccessTable(
    session: LogSession,
    rows: StoredValue<FilterView, LocalStorage>,
    version: RwSignal<u64>,
    row_count: RwSignal<usize>,
) -> impl IntoView {
    let sort = RwSignal::new((Column::Time, true));
    // a clicked status, path or upstream: the rows with exactly that value
    let field_filter = RwSignal::new(None::<(Column, String)>);
    let table = StoredValue::new_local(Vec::<AccessRow>::new());
    let table_version = RwSignal::new(0u64);
    let stats = RwSignal::new(AccessStats::default());
    let count = RwSignal::new(0usize);
    let capped = RwSignal::new(false);
    Effect::new(move |_| {
        version.track();
        let (column, ascending) = sort.get();
        let n = row_count.get_untracked();
        let built = rows
            .try_with_value(|r| {
                session.with_buffer(|b| {
                    let from = n.saturating_sub(TABLE_MAX_ROWS);
                    let positions = (from..n).filter_map(|i| r.position(i));
                    access_rows(b, positions, b.access_parser())
                })
            })
            .flatten()
            .unwrap_or_default();
        let mut built = built;
        if let Some((field, value)) = field_filter.get() {
            built.retain(|r| field_text(r, field) == value);
        }
        sort_rows(&mut built, column, ascending);
        stats.set(AccessStats::of(&built));
        count.set(built.len());
        capped.set(n > TABLE_MAX_ROWS);
        table.set_value(built);
        table_version.update(|v| *v += 1);
    });
    let filter_by = move |column: Column, value: String| field_filter.set(Some((column, value)));
    let render = Callback::new(move |i: usize| {
        table
            .try_with_value(|t| {
                t.get(i).map(|r| {
                    let f = &r.fields;
                    let status = f.status.map(|s| s.to_string()).unwrap_or_default();
                    let status_class = match f.status {
                        Some(500..=599) => "access-cell access-cell--error",
                        Some(400..=499) => "access-cell access-cell--warning",
                        _ => "access-cell",
                    };
                    let path = f.path.clone().unwrap_or_default();
                    let upstream = f.upstream.clone().unwrap_or_default();
                    let time = r
                        .time_nanos()
                        .and_then(|ns| TimestampDisplay::Utc.format(ns))
                        .or_else(|| f.time.clone())
                        .unwrap_or_default();
                    let cell = |v: String| view! { <span class="access-cell" role="cell">{v}</span> };
                    let (s1, p1, u1) = (status.clone(), path.clone(), upstream.clone());
                    let p2 = path.clone();
                    view! {
                        <div class="access-row" role="row" data-testid="access-row">
                            {cell(time)}
                            {cell(f.client.clone().unwrap_or_default())}
                            {cell(f.method.clone().unwrap_or_default())}
                            <button type="button" class="access-cell access-link" role="cell" data-testid="access-path" title=p1.clone() on:click=move |_| filter_by(Column::Path, p2.clone())>{path}</button>
                            <button type="button" class=format!("{status_class} access-link") role="cell" data-testid="access-status" on:click=move |_| filter_by(Column::Status, s1.clone())>{status}</button>
                            {cell(f.bytes.map(|b| b.to_string()).unwrap_or_default())}
                            {cell(f.request_time.map(|t| format!("{t:.3}")).unwrap_or_default())}
                            <button type="button" class="access-cell access-link" role="cell" data-testid="access-upstream" on:click=move |_| filter_by(Column::Upstream, u1.clone())>{upstream}</button>
                            {cell(f.upstream_addr_text())}
                            {cell(f.upstream_status_text())}
                            {cell(f.upstream_time_text())}
                            {cell(f.request_id.clone().unwrap_or_default())}
                        </div>
                    }
                    .into_any()
                })
            })
            .flatten()
            .unwrap_or_else(|| view! { <div class="access-row"></div> }.into_any())
    });
    let header = view! {
        <div class="access-row access-row--head" role="row">
            {Column::ALL.into_iter().map(|c| {
                let key = column_key(c);
                view! {
                    <button
                        type="button"
                        class="access-cell access-head"
                        role="columnheader"
                        data-testid=format!("access-sort-{}", c.key())
                        aria-sort=move || match sort.get() { (x, true) if x == c => "ascending", (x, false) if x == c => "descending", _ => "none" }
                        on:click=move |_| sort.update(|(col, asc)| if *col == c { *asc = !*asc } else { *col = c; *asc = true })
                    >{move || t(key)}</button>
                }
            }).collect_view()}
        </div>
    }
    .into_any();
    let at_end = RwSignal::new(false);
    view! {
        <div class="access-stats" data-testid="access-stats">
            {move || {
                let s = stats.get();
                let p95 = s.p95_request_time.map(|t| format!("{:.0} ms", t * 1000.0)).unwrap_or_else(|| "—".into());
                tr("LOGS_STATS", &[
                    ("requests", &s.requests.to_string()),
                    ("errors", &format!("{:.2}", s.error_rate * 100.0)),
                    ("p95", &p95),
                ])
            }}
            {move || capped.get().then(|| view! { <span class="muted">" · "{tr("LOGS_TABLE_CAPPED", &[("max", &TABLE_MAX_ROWS.to_string())])}</span> })}
            {move || field_filter.get().map(|(column, value)| view! {
                <button type="button" class="toggle-chip" aria-pressed="true" data-testid="access-field-filter"
                    title=move || t("LOGS_REMOVE_FILTER")
                    on:click=move |_| field_filter.set(None)
                >{format!("{} = {value} ×", t(column_key(column)))}</button>
            })}
        </div>
        <VirtualRows
            class="access-table"
            count=count
            version=table_version
            render=render
            follow=Signal::derive(|| false)
            at_end
            to_end=Signal::derive(|| 0u64)
            reveal=Signal::derive(|| None)
            label=Signal::derive(move || t("LOGS_TABLE"))
            header=header
        />
    }
}

/// The heading of a table column.
fn column_key(column: Column) -> &'static str {
    match column {
        Column::Time => "LOG_COLUMN_TIME",
        Column::Client => "LOG_COLUMN_CLIENT",
        Column::Method => "LOG_COLUMN_METHOD",
        Column::Path => "LOG_COLUMN_PATH",
        Column::Status => "LOG_COLUMN_STATUS",
        Column::Bytes => "LOG_COLUMN_BYTES",
        Column::RequestTime => "LOG_COLUMN_REQUEST_TIME",
        Column::Upstream => "LOG_COLUMN_UPSTREAM",
        Column::UpstreamAddr => "LOG_COLUMN_UPSTREAM_ADDR",
        Column::UpstreamStatus => "LOG_COLUMN_UPSTREAM_STATUS",
        Column::UpstreamTime => "LOG_COLUMN_UPSTREAM_TIME",
        Column::RequestId => "LOG_COLUMN_REQUEST_ID",
    }
}

/// The text of a row's field, as the table shows it (what a click filters by).
fn field_text(row: &AccessRow, column: Column) -> String {
    let f = &row.fields;
    match column {
        Column::Status => f.status.map(|s| s.to_string()).unwrap_or_default(),
        Column::Path => f.path.clone().unwrap_or_default(),
        Column::Upstream => f.upstream.clone().unwrap_or_default(),
        _ => String::new(),
    }
}
