//! One watched gateway, as the cluster tab, the project page and the details page show it: a
//! sync badge; the first list's error, or a skeleton while loading; then `present` with a live
//! signal of the gateway while it exists, `absent` otherwise. Only presence switches the view, so
//! edits update the shown gateway in place (an open menu or dialog survives them).

use gateway_model::gateway::Gateway;
use leptos::prelude::*;

use crate::components::inline_error::InlineError;
use crate::components::sync_badge::SyncBadge;
use crate::state::live::LiveList;

#[component]
pub fn LiveGateway(
    /// A list+watch of (at most) one gateway.
    live: LiveList<Gateway>,
    present: Callback<Signal<Gateway>, AnyView>,
    #[prop(into)] absent: ViewFn,
) -> impl IntoView {
    let gateway = Memo::new(move |_| live.cache.with(|c| c.iter().next().cloned()));
    let exists = Memo::new(move |_| gateway.with(Option::is_some));
    // The last gateway seen: when it goes away this does not change, so nothing in the view
    // below is notified by the change that disposes it (an effect already scheduled by that
    // change would read signals of the disposed view, and panic).
    let current = Memo::new(move |previous: Option<&Gateway>| {
        gateway
            .get()
            .or_else(|| previous.cloned())
            .unwrap_or_default()
    });
    view! {
        <div class="tab-toolbar"><SyncBadge state=live.sync/></div>
        {move || {
            if let Some(error) = live.initial_error.get() {
                return view! { <InlineError error/> }.into_any();
            }
            if !live.listed.get() {
                return view! { <div class="skeleton-card" aria-busy="true"></div> }.into_any();
            }
            if exists.get() {
                present.run(current.into())
            } else {
                absent.run().into_any()
            }
        }}
    }
}
