//! Details → Monitoring: the gateway's metrics from Prometheus through the API server's service
//! proxy. A time selector (presets, custom range, auto-refresh, pod), the overview strip, a
//! per-Ingress table that filters the charts, the charts (ECharts, loaded on demand) and the
//! certificates and reload status. Everything chosen is in the URL.

use std::collections::BTreeMap;

use gateway_model::monitoring::{
    certificate_expiry, chart_queries, format_value, last_reload, overview, per_ingress,
    rate_window, step_for, ChartKind, RangeProblem, Scope, Series, SeriesName, TimeRange, Unit,
    PRESETS,
};
use gateway_model::names::pod_selector;
use gateway_model::pods::PodView;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use thaw::{Button, ButtonAppearance};

use super::DetailsContext;
use crate::api::prometheus::{query, query_range, QueryError};
use crate::api::{abort_previous_on_rerun, use_client, KubeClient};
use crate::components::empty_state::EmptyState;
use crate::components::metric_chart::{MetricChart, NamedSeries};
use crate::config::use_config;
use crate::i18n::{t, tr, use_i18n};
use crate::state::live::LiveList;

/// Auto-refresh choices, seconds (0: off).
const REFRESH: [u32; 4] = [0, 5, 10, 30];

fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// `2026-01-02T03:04` (UTC) of unix seconds, for `datetime-local` inputs.
fn input_time(seconds: i64) -> String {
    let (y, mo, d, h, mi, _) = crate::format::civil_utc(seconds);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}")
}

/// Unix seconds of a `datetime-local` value read as UTC.
fn parse_input_time(text: &str) -> Option<i64> {
    let full = if text.len() == 16 {
        format!("{text}:00Z")
    } else {
        format!("{text}Z")
    };
    gateway_model::gateway_json::parse_time(&full).map(|t| t.0.as_second())
}

/// The view's settings, read from and written to the URL.
#[derive(Clone, Debug, PartialEq)]
struct Settings {
    range: TimeRange,
    refresh: u32,
    pod: Option<String>,
    ingress: Option<String>,
}

/// One answer or why there is none.
type Answer = Option<Result<Vec<Series>, QueryError>>;

/// A chart's answer: its named series.
type RangeAnswer = Option<Result<Vec<NamedSeries>, QueryError>>;

/// Runs `promql` for the current window whenever it changes; aborts the previous request.
fn instant(
    client: KubeClient,
    path: String,
    promql: Memo<String>,
    at: Memo<(i64, i64, i64)>,
) -> RwSignal<Answer> {
    let answer = RwSignal::new(None);
    let next_signal = abort_previous_on_rerun();
    Effect::new(move |_| {
        let q = promql.get();
        let (_, end, _) = at.get();
        let signal = next_signal();
        let client = client.clone();
        let path = path.clone();
        leptos::task::spawn_local(async move {
            let result = query(&client, &path, &q, end, signal.as_ref()).await;
            if !matches!(result, Err(QueryError::Aborted)) {
                answer.try_set(Some(result));
            }
        });
    });
    answer
}

/// Runs a range query per entry of `queries` for the current window; aborts on change.
fn ranged(
    client: KubeClient,
    path: String,
    queries: Memo<Vec<(String, SeriesName)>>,
    at: Memo<(i64, i64, i64)>,
) -> RwSignal<RangeAnswer> {
    let answer = RwSignal::new(None);
    let next_signal = abort_previous_on_rerun();
    Effect::new(move |_| {
        let list = queries.get();
        let window = at.get();
        let signal = next_signal();
        let client = client.clone();
        let path = path.clone();
        leptos::task::spawn_local(async move {
            let mut all = Vec::new();
            for (q, name) in list {
                match query_range(&client, &path, &q, window, signal.as_ref()).await {
                    Ok(series) => {
                        for s in series {
                            let label = match &name {
                                SeriesName::Key(k) => k.to_string(),
                                SeriesName::Label(l) => {
                                    s.labels.get(*l).cloned().unwrap_or_default()
                                }
                            };
                            all.push(NamedSeries {
                                name: label,
                                series: s,
                            });
                        }
                    }
                    Err(QueryError::Aborted) => return,
                    Err(e) => {
                        answer.try_set(Some(Err(e)));
                        return;
                    }
                }
            }
            answer.try_set(Some(Ok(all)));
        });
    });
    answer
}

#[component]
pub fn MonitoringTab(context: DetailsContext) -> impl IntoView {
    let client = use_client();
    let config = use_config();
    let i18n = use_i18n();
    let prometheus_path = config.config.prometheus_path.clone();
    let query_map = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let DetailsContext {
        namespace,
        name,
        gateway,
        ..
    } = context;

    // settings from the URL
    let settings = Memo::new(move |_| {
        query_map.with(|q| {
            let range = match (q.get("from"), q.get("to")) {
                (Some(from), Some(to)) => {
                    TimeRange::custom(from.parse().ok(), to.parse().ok(), now())
                        .unwrap_or_else(|_| TimeRange::preset(""))
                }
                _ => TimeRange::preset(&q.get("range").unwrap_or_default()),
            };
            Settings {
                range,
                refresh: q
                    .get("refresh")
                    .and_then(|r| r.parse().ok())
                    .filter(|r| REFRESH.contains(r))
                    .unwrap_or(0),
                pod: q.get("pod").filter(|p| !p.is_empty()),
                ingress: q.get("ingress").filter(|p| !p.is_empty()),
            }
        })
    });
    // rewrites the query: drops `remove`, sets `add` (replacing the history entry)
    let go = move |remove: &[&str], add: Vec<(&str, String)>| {
        let mut params: Vec<(String, String)> = query_map.with_untracked(|q| {
            q.clone()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .filter(|(k, _)| !remove.contains(&k.as_str()) && !add.iter().any(|(a, _)| a == k))
                .collect()
        });
        params.extend(add.into_iter().map(|(k, v)| (k.to_string(), v)));
        navigate.with_value(|n| crate::routes::replace_query(n, params));
    };
    let set = move |key: &str, value: Option<String>, drop: &[&str]| {
        let mut remove = drop.to_vec();
        remove.push(key);
        go(&remove, value.map(|v| vec![(key, v)]).unwrap_or_default());
    };
    // the clock of a live range: moves on refresh ticks and on Refresh
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        let s = settings.get();
        if s.refresh == 0 || !s.range.is_live() {
            return;
        }
        if let Ok(handle) = set_interval_with_handle(
            move || {
                tick.try_update(|t| *t += 1);
            },
            std::time::Duration::from_secs(u64::from(s.refresh)),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    // (start, end, step)
    let window = Memo::new(move |_| {
        tick.track();
        let (start, end) = settings.with(|s| s.range.bounds(now()));
        (start, end, step_for(end - start))
    });
    let scope = {
        let namespace = namespace.clone();
        let name = name.clone();
        Memo::new(move |_| {
            let project = gateway.with(|g| match g.scope() {
                Some(gateway_model::names::GatewayScope::Project(p)) => Some(p),
                _ => None,
            });
            settings.with(|s| Scope {
                gateway: name.clone(),
                namespace: namespace.clone(),
                project,
                pod: s.pod.clone(),
                ingress: s.ingress.clone(),
            })
        })
    };
    let window_text = Memo::new(move |_| {
        let (start, end, _) = window.get();
        format!("{}s", (end - start).max(60))
    });
    let overview_queries = Memo::new(move |_| overview(&scope.get(), &window_text.get()));
    let q = |f: fn(&gateway_model::monitoring::OverviewQueries) -> String| {
        Memo::new(move |_| overview_queries.with(f))
    };
    let path = prometheus_path.clone();
    let strip: Vec<(&'static str, &'static str, Unit, RwSignal<Answer>)> = vec![
        (
            "total",
            "TOTAL_REQUESTS",
            Unit::Count,
            instant(client.clone(), path.clone(), q(|o| o.total.clone()), window),
        ),
        (
            "4xx",
            "REQUESTS_4XX",
            Unit::Count,
            instant(
                client.clone(),
                path.clone(),
                q(|o| o.status_4xx.clone()),
                window,
            ),
        ),
        (
            "5xx",
            "REQUESTS_5XX",
            Unit::Count,
            instant(
                client.clone(),
                path.clone(),
                q(|o| o.status_5xx.clone()),
                window,
            ),
        ),
        (
            "success",
            "SUCCESS_RATE",
            Unit::Percent,
            instant(
                client.clone(),
                path.clone(),
                q(|o| o.success_rate.clone()),
                window,
            ),
        ),
        (
            "avg",
            "LATENCY_AVERAGE",
            Unit::Seconds,
            instant(
                client.clone(),
                path.clone(),
                q(|o| o.average.clone()),
                window,
            ),
        ),
        (
            "p50",
            "LATENCY_P50",
            Unit::Seconds,
            instant(client.clone(), path.clone(), q(|o| o.p50.clone()), window),
        ),
        (
            "p95",
            "LATENCY_P95",
            Unit::Seconds,
            instant(client.clone(), path.clone(), q(|o| o.p95.clone()), window),
        ),
        (
            "p99",
            "LATENCY_P99",
            Unit::Seconds,
            instant(client.clone(), path.clone(), q(|o| o.p99.clone()), window),
        ),
    ];
    // per-Ingress table
    let table_queries = Memo::new(move |_| per_ingress(&scope.get(), &window_text.get()));
    let table: Vec<RwSignal<Answer>> = (0..4)
        .map(|i| {
            instant(
                client.clone(),
                path.clone(),
                Memo::new(move |_| table_queries.with(|t| t[i].clone())),
                window,
            )
        })
        .collect();
    let table = StoredValue::new(table);
    // charts
    let charts: Vec<(ChartKind, &'static str, Unit, RwSignal<RangeAnswer>)> = [
        (
            ChartKind::RequestsByIngress,
            "CHART_REQUESTS",
            Unit::PerSecond,
        ),
        (ChartKind::Connections, "CHART_CONNECTIONS", Unit::Count),
        (ChartKind::Latency, "CHART_LATENCY", Unit::Milliseconds),
        (ChartKind::FailedRequests, "CHART_FAILED", Unit::PerSecond),
        (ChartKind::Network, "CHART_NETWORK", Unit::BytesPerSecond),
        (ChartKind::Cpu, "CHART_CPU", Unit::Cores),
        (ChartKind::Memory, "CHART_MEMORY", Unit::Bytes),
        (ChartKind::Reloads, "CHART_RELOADS", Unit::Count),
    ]
    .into_iter()
    .map(|(kind, title, unit)| {
        let queries = Memo::new(move |_| {
            let (_, _, step) = window.get();
            chart_queries(&scope.get(), kind, &rate_window(step))
                .into_iter()
                .map(|q| (q.query, q.name))
                .collect::<Vec<_>>()
        });
        (
            kind,
            title,
            unit,
            ranged(client.clone(), path.clone(), queries, window),
        )
    })
    .collect();
    let certificates = instant(
        client.clone(),
        path.clone(),
        Memo::new(move |_| certificate_expiry(&scope.get())),
        window,
    );
    let reloads = instant(
        client.clone(),
        path.clone(),
        Memo::new(move |_| last_reload(&scope.get())),
        window,
    );

    // the pods, for the pod selector (a list is enough: the Resource Status tab watches them)
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

    // Prometheus unreachable: one message instead of a wall of errors
    let first = strip[0].3;
    let unavailable = Memo::new(move |_| match first.get() {
        Some(Err(QueryError::Unavailable(e))) => Some(e),
        _ => None,
    });
    let strip = StoredValue::new(strip);
    let charts = StoredValue::new(charts);
    let tried = config.config.api_base.clone() + &prometheus_path;

    // custom range fields
    let custom_open = RwSignal::new(false);
    let from_text = RwSignal::new(String::new());
    let to_text = RwSignal::new(String::new());
    let range_problem = RwSignal::new(None::<RangeProblem>);
    Effect::new(move |_| {
        if let TimeRange::Custom { start, end } = settings.get().range {
            custom_open.set(true);
            from_text.set(input_time(start));
            to_text.set(input_time(end));
        }
    });
    let apply_custom = move |_| {
        let (from, to) = (
            parse_input_time(&from_text.get_untracked()),
            parse_input_time(&to_text.get_untracked()),
        );
        match TimeRange::custom(from, to, now()) {
            Ok(TimeRange::Custom { start, end }) => {
                range_problem.set(None);
                go(
                    &["range"],
                    vec![("from", start.to_string()), ("to", end.to_string())],
                );
            }
            Ok(_) => {}
            Err(p) => range_problem.set(Some(p)),
        }
    };
    let preset_value = move || match settings.with(|s| s.range.clone()) {
        TimeRange::Last { preset, .. } => preset.to_string(),
        TimeRange::Custom { .. } => "custom".to_string(),
    };

    view! {
        <div class="monitoring">
            <div class="monitoring__toolbar" role="group" aria-label=move || t("TIME_RANGE")>
                <label class="monitoring__field">
                    <span>{move || t("TIME_RANGE")}</span>
                    <select class="text-input" data-testid="range-select" prop:value=preset_value
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if v == "custom" {
                                custom_open.set(true);
                                let (start, end) = settings.with_untracked(|s| s.range.bounds(now()));
                                from_text.set(input_time(start));
                                to_text.set(input_time(end));
                            } else {
                                custom_open.set(false);
                                set("range", Some(v), &["from", "to"]);
                            }
                        }>
                        {PRESETS.iter().map(|(p, _)| view! { <option value=*p>{move || tr("LAST_RANGE", &[("range", p)])}</option> }).collect_view()}
                        <option value="custom">{move || t("CUSTOM_RANGE")}</option>
                    </select>
                </label>
                <Show when=move || custom_open.get()>
                    <label class="monitoring__field">
                        <span>{move || t("START_TIME_UTC")}</span>
                        <input class="text-input" type="datetime-local" data-testid="range-from" prop:value=move || from_text.get() on:input=move |ev| from_text.set(event_target_value(&ev))/>
                    </label>
                    <label class="monitoring__field">
                        <span>{move || t("END_TIME_UTC")}</span>
                        <input class="text-input" type="datetime-local" data-testid="range-to" prop:value=move || to_text.get() on:input=move |ev| to_text.set(event_target_value(&ev))/>
                    </label>
                    <Button appearance=ButtonAppearance::Secondary attr:data-testid="range-apply" on_click=apply_custom>{move || t("APPLY")}</Button>
                    {move || range_problem.get().map(|p| {
                        let key = match p {
                            RangeProblem::Missing => "RANGE_MISSING",
                            RangeProblem::EndNotAfterStart => "RANGE_END_BEFORE_START",
                            RangeProblem::TooLong => "RANGE_TOO_LONG",
                            RangeProblem::InTheFuture => "RANGE_IN_FUTURE",
                        };
                        view! { <p class="field-message field-message--error" role="alert" data-testid="range-error">{move || t(key)}</p> }
                    })}
                </Show>
                <label class="monitoring__field">
                    <span>{move || t("POD")}</span>
                    <select class="text-input" data-testid="pod-select"
                        prop:value=move || settings.with(|s| s.pod.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); set("pod", (!v.is_empty()).then_some(v), &[]); }>
                        <option value="">{move || t("ALL_PODS")}</option>
                        {move || {
                            let mut names = pod_names.get();
                            if let Some(p) = settings.with(|s| s.pod.clone()) {
                                if !names.contains(&p) { names.push(p); }
                            }
                            names.into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()
                        }}
                    </select>
                </label>
                <label class="monitoring__field">
                    <span>{move || t("AUTO_REFRESH")}</span>
                    <select class="text-input" data-testid="refresh-select"
                        prop:value=move || settings.with(|s| s.refresh.to_string())
                        on:change=move |ev| { let v = event_target_value(&ev); set("refresh", (v != "0").then_some(v), &[]); }>
                        {REFRESH.iter().map(|r| view! { <option value=r.to_string()>{move || if *r == 0 { t("OFF") } else { tr("EVERY_SECONDS", &[("seconds", &r.to_string())]) }}</option> }).collect_view()}
                    </select>
                </label>
                <Button appearance=ButtonAppearance::Secondary attr:data-testid="monitoring-refresh" on_click=move |_| tick.update(|t| *t += 1)>{move || t("REFRESH")}</Button>
                {move || settings.with(|s| s.ingress.clone()).map(|ingress| view! {
                    <span class="filter-chip" data-testid="ingress-filter">
                        {tr("INGRESS_FILTER", &[("ingress", &ingress)])}
                        <button type="button" aria-label=move || t("CLEAR_FILTER") data-testid="ingress-filter-clear" on:click=move |_| set("ingress", None, &[])>"✕"</button>
                    </span>
                })}
            </div>
            {move || unavailable.get().map(|error| {
                let message = error.message(i18n.locale.get());
                let tried = tried.clone();
                view! {
                    <div data-testid="monitoring-unavailable">
                        <EmptyState
                            title=Signal::derive(|| t("MONITORING_UNAVAILABLE"))
                            description=Signal::derive(move || tr("MONITORING_UNAVAILABLE_DESC", &[("url", &tried), ("message", &message)]))
                        >
                            <Button appearance=ButtonAppearance::Primary attr:data-testid="monitoring-retry" on_click=move |_| tick.update(|t| *t += 1)>{move || t("RETRY")}</Button>
                        </EmptyState>
                    </div>
                }
            })}
            <div class="monitoring__body" class:hidden=move || unavailable.with(Option::is_some)>
                <dl class="overview-strip" data-testid="overview-strip">
                    {strip.get_value().into_iter().map(|(id, key, unit, answer)| view! {
                        <div class="overview-strip__item">
                            <dt>{move || t(key)}</dt>
                            <dd data-testid=format!("overview-{id}") data-value=move || answer.with(|a| match a { Some(Ok(s)) => s.first().and_then(Series::last).map(|v| v.to_string()).unwrap_or_default(), _ => String::new() })>
                                {move || match answer.get() {
                                    None => "…".to_string(),
                                    Some(Ok(series)) => format_value(series.first().and_then(Series::last).or(Some(0.0)).filter(|_| !series.is_empty()), unit),
                                    Some(Err(QueryError::Prometheus(m))) => m,
                                    Some(Err(_)) => "—".to_string(),
                                }}
                            </dd>
                        </div>
                    }).collect_view()}
                </dl>
                <IngressTable table=table.get_value() on_pick=Callback::new(move |ingress: String| set("ingress", Some(ingress), &[]))/>
                <div class="chart-grid">
                    {charts.get_value().into_iter().map(|(kind, title, unit, answer)| {
                        let name = chart_name(kind);
                        let series = Signal::derive(move || answer.with(|a| match a { Some(Ok(s)) => translate_names(s), _ => Vec::new() }));
                        view! {
                            <div class="chart-cell">
                                <MetricChart name title=Signal::derive(move || t(title)) series unit/>
                                {move || match answer.get() {
                                    Some(Err(QueryError::Prometheus(m))) => Some(view! { <p class="form-error" role="alert" data-testid="chart-error">{m}</p> }.into_any()),
                                    Some(Ok(s)) if s.iter().all(|n| n.series.points.is_empty()) => Some(view! { <p class="muted chart-empty" data-testid="chart-empty">{t("NO_DATA_IN_WINDOW")}</p> }.into_any()),
                                    _ => None,
                                }}
                            </div>
                        }
                    }).collect_view()}
                </div>
                <div class="details-grid">
                    <section class="details-panel" data-testid="certificates">
                        <h3>{move || t("CERTIFICATES")}</h3>
                        {move || match certificates.get() {
                            Some(Ok(list)) if !list.is_empty() => view! {
                                <table class="data-table">
                                    <thead><tr><th scope="col">{move || t("HOST")}</th><th scope="col">{move || t("EXPIRES_IN")}</th></tr></thead>
                                    <tbody>{list.into_iter().map(|s| {
                                        let days = s.last().unwrap_or(0.0) / 86_400.0;
                                        let soon = days < 14.0;
                                        view! { <tr data-testid="certificate-row"><td>{s.labels.get("host").cloned().unwrap_or_default()}</td><td class:cert-soon=soon>{tr("DAYS", &[("days", &format!("{days:.1}"))])}</td></tr> }
                                    }).collect_view()}</tbody>
                                </table>
                            }.into_any(),
                            Some(Ok(_)) => view! { <p class="details-panel__empty">{t("NO_CERTIFICATES")}</p> }.into_any(),
                            Some(Err(QueryError::Prometheus(m))) => view! { <p class="form-error">{m}</p> }.into_any(),
                            _ => view! { <p class="details-panel__empty">"…"</p> }.into_any(),
                        }}
                    </section>
                    <section class="details-panel" data-testid="reload-status">
                        <h3>{move || t("LAST_RELOAD")}</h3>
                        {move || match reloads.get() {
                            Some(Ok(list)) if !list.is_empty() => view! {
                                <ul class="reload-list">{list.into_iter().map(|s| {
                                    let ok = s.last() == Some(1.0);
                                    view! { <li data-testid="reload-row"><span class=if ok { "flag flag--info" } else { "flag flag--error" }>{if ok { t("RELOAD_OK") } else { t("RELOAD_FAILED") }}</span>" "{s.labels.get("controller_pod").cloned().unwrap_or_default()}</li> }
                                }).collect_view()}</ul>
                            }.into_any(),
                            Some(Ok(_)) => view! { <p class="details-panel__empty">{t("NO_DATA_IN_WINDOW")}</p> }.into_any(),
                            Some(Err(QueryError::Prometheus(m))) => view! { <p class="form-error">{m}</p> }.into_any(),
                            _ => view! { <p class="details-panel__empty">"…"</p> }.into_any(),
                        }}
                    </section>
                </div>
            </div>
        </div>
    }
}

/// Series named by an i18n key get their translated name.
fn translate_names(list: &[NamedSeries]) -> Vec<NamedSeries> {
    list.iter()
        .map(|n| NamedSeries {
            name: if n
                .name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && !n.name.is_empty()
            {
                t(&n.name)
            } else {
                n.name.clone()
            },
            series: n.series.clone(),
        })
        .collect()
}

fn chart_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::RequestsByIngress => "requests",
        ChartKind::Connections => "connections",
        ChartKind::Latency => "latency",
        ChartKind::FailedRequests => "failed",
        ChartKind::Network => "network",
        ChartKind::Cpu => "cpu",
        ChartKind::Memory => "memory",
        ChartKind::Reloads => "reloads",
    }
}

/// Sort columns of the per-Ingress table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Name,
    Column(usize),
}

#[component]
fn IngressTable(table: Vec<RwSignal<Answer>>, on_pick: Callback<String>) -> impl IntoView {
    let sort = RwSignal::new((SortBy::Column(0), true));
    let rows = Memo::new(move |_| {
        let mut by: BTreeMap<String, [Option<f64>; 4]> = BTreeMap::new();
        for (i, answer) in table.iter().enumerate() {
            if let Some(Ok(list)) = answer.get() {
                for s in list {
                    let name = s.labels.get("ingress").cloned().unwrap_or_default();
                    if name.is_empty() {
                        continue;
                    }
                    by.entry(name).or_default()[i] = s.last();
                }
            }
        }
        let mut rows: Vec<(String, [Option<f64>; 4])> = by.into_iter().collect();
        let (column, descending) = sort.get();
        rows.sort_by(|a, b| {
            let o = match column {
                SortBy::Name => a.0.cmp(&b.0),
                SortBy::Column(i) => a.1[i]
                    .unwrap_or(f64::MIN)
                    .total_cmp(&b.1[i].unwrap_or(f64::MIN)),
            };
            if descending {
                o.reverse()
            } else {
                o
            }
        });
        rows
    });
    let header = move |label: &'static str, by: SortBy| {
        view! {
            <th scope="col" aria-sort=move || match sort.get() { (s, true) if s == by => "descending", (s, false) if s == by => "ascending", _ => "none" }>
                <button type="button" class="sort-button" data-testid="ingress-sort" on:click=move |_| sort.update(|(s, d)| { if *s == by { *d = !*d } else { *s = by; *d = true } })>{move || t(label)}</button>
            </th>
        }
    };
    view! {
        <section class="details-panel" data-testid="ingress-table">
            <h3>{move || t("BY_INGRESS")}</h3>
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    return view! { <p class="details-panel__empty">{t("NO_DATA_IN_WINDOW")}</p> }.into_any();
                }
                view! {
                    <table class="data-table">
                        <thead><tr>
                            {header("INGRESS", SortBy::Name)}
                            {header("REQUESTS_PER_SECOND", SortBy::Column(0))}
                            {header("SUCCESS_RATE", SortBy::Column(1))}
                            {header("LATENCY_P95", SortBy::Column(2))}
                            {header("ERRORS_5XX_PER_SECOND", SortBy::Column(3))}
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|(ingress, v)| {
                                let pick = ingress.clone();
                                view! {
                                    <tr data-testid="ingress-row">
                                        <td><button type="button" class="link-button" data-testid="ingress-pick" on:click=move |_| on_pick.run(pick.clone())>{ingress.clone()}</button></td>
                                        <td>{format_value(v[0], Unit::PerSecond)}</td>
                                        <td>{format_value(v[1], Unit::Percent)}</td>
                                        <td>{format_value(v[2], Unit::Seconds)}</td>
                                        <td>{format_value(v[3], Unit::PerSecond)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
