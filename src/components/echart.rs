//! One ECharts chart: loads ECharts the first time any chart is shown (`vendor/echarts.min.js`,
//! relative to the app's base; nothing on the first screen), then owns the instance — init,
//! update in place (`setOption` replacing the series), resize with the container
//! (ResizeObserver), re-create when the theme flips (ECharts 5 cannot change a live
//! instance's theme) and dispose with the view, so no canvas outlives it. The option is a
//! charming `Chart` serialized to JSON by the caller.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::t;
use crate::theme::use_theme;

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance.
    pub type EchartsInstance;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn echarts_init(el: &web_sys::HtmlElement, theme: &str) -> Result<EchartsInstance, JsValue>;

    #[wasm_bindgen(method, catch, js_name = setOption)]
    fn set_option(this: &EchartsInstance, option: &JsValue, opts: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method)]
    fn resize(this: &EchartsInstance);

    #[wasm_bindgen(method)]
    fn dispose(this: &EchartsInstance);
}

/// Where ECharts is served from (relative to `<base href>`).
pub const ECHARTS_SRC: &str = "vendor/echarts.min.js";

thread_local! {
    /// The load in flight or done, shared by every chart.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

fn echarts_present() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("echarts")).ok())
        .is_some_and(|e| !e.is_undefined())
}

/// Loads ECharts once (later calls wait for the same load). A failed load is forgotten, so
/// Retry loads again.
pub async fn load_echarts() -> Result<(), String> {
    if echarts_present() {
        return Ok(());
    }
    let promise = LOADING.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| {
                js_sys::Promise::new(&mut |resolve, reject| {
                    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("no document"));
                        return;
                    };
                    let Ok(script) = document.create_element("script") else {
                        return;
                    };
                    let _ = script.set_attribute("src", ECHARTS_SRC);
                    let _ = script.set_attribute("data-echarts", "");
                    let ok = Closure::once_into_js(move || {
                        let _ = resolve.call0(&JsValue::NULL);
                    });
                    let failed_script = script.clone();
                    let failed = Closure::once_into_js(move || {
                        failed_script.remove();
                        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(ECHARTS_SRC));
                    });
                    let _ = script.add_event_listener_with_callback("load", ok.unchecked_ref());
                    let _ =
                        script.add_event_listener_with_callback("error", failed.unchecked_ref());
                    if let Some(head) = document.head() {
                        let _ = head.append_child(&script);
                    }
                })
            })
            .clone()
    });
    match JsFuture::from(promise).await {
        Ok(_) if echarts_present() => Ok(()),
        Ok(_) => {
            LOADING.with(|l| l.borrow_mut().take());
            Err(ECHARTS_SRC.to_string())
        }
        Err(_) => {
            LOADING.with(|l| l.borrow_mut().take());
            Err(ECHARTS_SRC.to_string())
        }
    }
}

/// The live instance of a chart view and what keeps it sized.
struct Live {
    chart: EchartsInstance,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Option<Closure<dyn FnMut()>>,
}

impl Live {
    fn dispose(self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
        self.chart.dispose();
    }
}

#[component]
pub fn EChart(
    /// The option (a serialized charming `Chart`).
    #[prop(into)]
    option: Signal<String>,
    /// `data-chart` of the container, for tests and styles.
    name: &'static str,
    /// Accessible name of the chart (the values are also in the tab's text).
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let theme = use_theme();
    let container = NodeRef::<leptos::html::Div>::new();
    let loaded = RwSignal::new(None::<Result<(), String>>);
    let attempt = RwSignal::new(0u32);
    let live = StoredValue::new_local(None::<Live>);
    // load ECharts (again on Retry)
    Effect::new(move |_| {
        attempt.track();
        loaded.set(None);
        leptos::task::spawn_local(async move {
            let result = load_echarts().await;
            loaded.try_set(Some(result));
        });
    });
    // (re)create on load and on a theme change; dispose the previous instance
    Effect::new(move |_| {
        let dark = theme.is_dark();
        if loaded.with(|l| !matches!(l, Some(Ok(())))) {
            return;
        }
        let Some(el) = container.get() else {
            return;
        };
        live.update_value(|l| {
            if let Some(old) = l.take() {
                old.dispose();
            }
        });
        let el: web_sys::HtmlElement = el.unchecked_into();
        let Ok(chart) = echarts_init(&el, if dark { "dark" } else { "" }) else {
            loaded.set(Some(Err(ECHARTS_SRC.to_string())));
            return;
        };
        let resize_target: EchartsInstance = chart.clone().unchecked_into();
        let on_resize = Closure::<dyn FnMut()>::new(move || resize_target.resize());
        let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let Some(o) = &observer {
            o.observe(&el);
        }
        apply(&chart, &option.get_untracked());
        live.set_value(Some(Live {
            chart,
            observer,
            _on_resize: Some(on_resize),
        }));
    });
    // update in place
    Effect::new(move |_| {
        let text = option.get();
        live.with_value(|l| {
            if let Some(l) = l {
                apply(&l.chart, &text);
            }
        });
    });
    on_cleanup(move || {
        live.try_update_value(|l| {
            if let Some(old) = l.take() {
                old.dispose();
            }
        });
    });
    view! {
        <div class="echart-box">
            <div class="echart" node_ref=container data-testid="chart" data-chart=name role="img" aria-label=move || label.get()></div>
            {move || match loaded.get() {
                None => Some(view! { <div class="echart__overlay" aria-busy="true">{t("LOADING")}</div> }.into_any()),
                Some(Err(src)) => Some(view! {
                    <div class="echart__overlay" role="alert" data-testid="chart-load-failed">
                        <span>{crate::i18n::tr("CHARTS_LOAD_FAILED", &[("url", &src)])}</span>
                        <button type="button" class="link-button" data-testid="chart-retry" on:click=move |_| attempt.update(|n| *n += 1)>{t("RETRY")}</button>
                    </div>
                }.into_any()),
                Some(Ok(())) => None,
            }}
        </div>
    }
}

/// `setOption` replacing the series (so a series that went away goes away), merging the rest.
fn apply(chart: &EchartsInstance, option: &str) {
    let Ok(value) = js_sys::JSON::parse(option) else {
        return;
    };
    let opts = js_sys::Object::new();
    let replace = js_sys::Array::of2(&JsValue::from_str("series"), &JsValue::from_str("legend"));
    let _ = js_sys::Reflect::set(&opts, &JsValue::from_str("replaceMerge"), &replace);
    let _ = chart.set_option(&value, &opts);
}
