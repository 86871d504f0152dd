//! A titled time-series chart of Prometheus series: builds the charming option (time axis, one
//! line per series, the unit scaled so values read well — `KiB/s`, `MiB` — and named on the
//! axis) and draws it with [`EChart`].

use charming::component::{Axis, Grid, Legend};
use charming::element::{AxisType, Tooltip, Trigger};
use charming::series::Line;
use charming::Chart;
use gateway_model::monitoring::{Series, Unit};
use leptos::prelude::*;

use crate::components::echart::EChart;

/// A named series of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedSeries {
    pub name: String,
    pub series: Series,
}

/// The divisor and the axis name for `unit`, chosen from the largest value.
fn scale(unit: Unit, max: f64) -> (f64, &'static str) {
    let binary = |suffixes: [&'static str; 4]| {
        let mut div = 1.0;
        let mut i = 0;
        while max / div >= 1024.0 && i < 3 {
            div *= 1024.0;
            i += 1;
        }
        (div, suffixes[i])
    };
    match unit {
        Unit::BytesPerSecond => binary(["B/s", "KiB/s", "MiB/s", "GiB/s"]),
        Unit::Bytes => binary(["B", "KiB", "MiB", "GiB"]),
        Unit::PerSecond => (1.0, "req/s"),
        Unit::Milliseconds => (1.0, "ms"),
        Unit::Seconds => (1.0, "s"),
        Unit::Percent => (0.01, "%"),
        Unit::Cores => (1.0, "cores"),
        Unit::Count => (1.0, ""),
    }
}

/// The ECharts option of `series` (JSON).
pub fn chart_option(series: &[NamedSeries], unit: Unit) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.series.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let (div, axis_name) = scale(unit, max);
    let mut chart = Chart::new()
        // the card's colour shows through, in both themes
        .background_color("transparent")
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(
            Legend::new()
                .bottom(0)
                .type_(charming::component::LegendType::Scroll),
        )
        .grid(Grid::new().left(56).right(16).top(28).bottom(44))
        .x_axis(Axis::new().type_(AxisType::Time))
        .y_axis(Axis::new().type_(AxisType::Value).name(axis_name));
    for s in series {
        let data: Vec<Vec<f64>> = s
            .series
            .points
            .iter()
            .map(|(t, v)| {
                // NaN serializes as null: a gap
                let scaled = v / div;
                vec![t * 1000.0, (scaled * 1000.0).round() / 1000.0]
            })
            .collect();
        chart = chart.series(
            Line::new()
                .name(s.name.clone())
                .show_symbol(false)
                .connect_nulls(false)
                .data(data),
        );
    }
    serde_json::to_string(&chart).unwrap_or_default()
}

#[component]
pub fn MetricChart(
    /// `data-chart` (tests).
    name: &'static str,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] series: Signal<Vec<NamedSeries>>,
    unit: Unit,
) -> impl IntoView {
    let option = Signal::derive(move || series.with(|s| chart_option(s, unit)));
    let label = Signal::derive(move || {
        let names = series.with(|s| {
            s.iter()
                .map(|n| n.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        });
        format!("{}: {names}", title.get())
    });
    view! {
        <section class="details-panel metric-chart" data-testid="metric-chart">
            <h3>{move || title.get()}</h3>
            <EChart option name label/>
        </section>
    }
}
