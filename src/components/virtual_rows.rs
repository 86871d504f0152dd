//! A scrolling list that draws only the rows in view (plus a margin), for hundreds of thousands
//! of rows of one fixed height. Follows the end as rows are added while it is scrolled to the
//! end; scrolling up stops that (the caller shows "N new lines").

use leptos::html::Div;
use leptos::prelude::*;

/// Height of one row in CSS pixels (`.virtual-rows__row` in style/logs.css).
pub const ROW_HEIGHT: f64 = 20.0;
/// Rows drawn above and below the visible ones.
const OVERSCAN: usize = 25;

#[component]
pub fn VirtualRows(
    #[prop(optional, into)] class: MaybeProp<String>,
    /// Number of rows.
    #[prop(into)]
    count: Signal<usize>,
    /// Moves when the content of rows changed (redraws the visible ones).
    #[prop(into)]
    version: Signal<u64>,
    /// Draws row `i`.
    render: Callback<usize, AnyView>,
    /// Keep the end in view as rows are added (while the list is at its end).
    #[prop(into)]
    follow: Signal<bool>,
    /// Whether the list is scrolled to its end (written by the list).
    at_end: RwSignal<bool>,
    /// Scrolls to the end when it moves.
    #[prop(into)]
    to_end: Signal<u64>,
    /// A row to bring into view (find next/previous).
    #[prop(into)]
    reveal: Signal<Option<usize>>,
    /// Accessible name of the list.
    #[prop(into)]
    label: Signal<String>,
    /// Header drawn above the rows, scrolling sideways with them (table columns).
    #[prop(optional)]
    header: Option<AnyView>,
) -> impl IntoView {
    let scroller = NodeRef::<Div>::new();
    let top = RwSignal::new(0.0f64);
    let height = RwSignal::new(600.0f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            let (scroll_top, client, total) = (
                el.scroll_top() as f64,
                el.client_height() as f64,
                el.scroll_height() as f64,
            );
            top.try_set(scroll_top);
            if client > 0.0 {
                height.try_set(client);
            }
            let end = scroll_top + client >= total - ROW_HEIGHT * 1.5;
            if at_end.try_get_untracked() != Some(end) {
                at_end.try_set(end);
            }
        }
    };
    let scroll_to_end = move || {
        request_animation_frame(move || {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    };
    // first measurement, once the element is in the page
    Effect::new(move |_| {
        if scroller.get().is_some() {
            request_animation_frame(measure);
        }
    });
    // new rows: keep the end in view
    Effect::new(move |_| {
        count.track();
        version.track();
        if follow.get_untracked() && at_end.get_untracked() {
            scroll_to_end();
        }
    });
    Effect::new(move |previous: Option<u64>| {
        let n = to_end.get();
        if previous.is_some_and(|p| p != n) {
            at_end.set(true);
            scroll_to_end();
        }
        n
    });
    Effect::new(move |_| {
        if let (Some(row), Some(el)) = (reveal.get(), scroller.get_untracked()) {
            let y = row as f64 * ROW_HEIGHT - height.get_untracked() / 2.0;
            el.set_scroll_top(y.max(0.0) as i32);
        }
    });
    let range = Memo::new(move |_| {
        let n = count.get();
        let first = ((top.get() / ROW_HEIGHT) as usize)
            .saturating_sub(OVERSCAN)
            .min(n);
        let last = (first + (height.get() / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN).min(n);
        (first, last)
    });
    view! {
        <div
            class=move || format!("virtual-rows {}", class.get().unwrap_or_default())
            node_ref=scroller
            on:scroll=move |_| measure()
            role="log"
            aria-live="off"
            aria-label=move || label.get()
            tabindex="0"
            data-testid="virtual-rows"
        >
            {header}
            <div
                class="virtual-rows__space"
                style:height=move || format!("{}px", count.get() as f64 * ROW_HEIGHT)
            >
                <div
                    class="virtual-rows__rows"
                    style:transform=move || format!("translateY({}px)", range.get().0 as f64 * ROW_HEIGHT)
                >
                    {move || {
                        version.track();
                        let (first, last) = range.get();
                        (first..last).map(|i| render.run(i)).collect_view()
                    }}
                </div>
            </div>
        </div>
    }
}
