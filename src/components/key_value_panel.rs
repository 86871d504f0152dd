//! A titled key/value list (cluster data as text), or "No Data".

use gateway_model::gateway::StringMap;
use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn KeyValuePanel(
    title_key: &'static str,
    testid: &'static str,
    #[prop(into)] entries: Signal<StringMap>,
) -> impl IntoView {
    view! {
        <section class="details-panel" data-testid=testid>
            <h3>{move || t(title_key)}</h3>
            {move || {
                let map = entries.get();
                if map.is_empty() {
                    view! { <p class="details-panel__empty">{t("NO_DATA")}</p> }.into_any()
                } else {
                    view! {
                        <dl class="details-panel__list">
                            {map.into_iter().map(|(k, v)| view! {
                                <div><dt>{k}</dt><dd>{v}</dd></div>
                            }).collect_view()}
                        </dl>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
