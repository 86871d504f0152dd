//! What can be done to a gateway: the card's **Manage** menu (Edit, Disable) and the
//! **Enable Gateway** button. Each action checks the user's permission (SelfSubjectAccessReview)
//! and is disabled with the reason shown when it is denied or not possible. The dialogs they open
//! are shown by the page's [`DialogHost`], so that they outlive a row or card that goes away.

use gateway_model::gateway::Gateway;
use gateway_model::names::GatewayScope;
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::components::A;
use thaw::{Button, ButtonAppearance};
use wasm_bindgen::JsCast;

use crate::components::dialog_host::{DialogHost, HostedDialog};
use crate::components::disable_dialog::DisableTarget;
use crate::components::gateway_dialog::DialogTarget;
use crate::i18n::t;
use crate::state::gateways::details_path;
use crate::state::permissions::GatewayAccess;

/// The Manage menu of a gateway card.
#[component]
pub fn ManageMenu(
    #[prop(into)] gateway: Signal<Gateway>,
    access: GatewayAccess,
    /// A small "⋯" button (table rows) instead of the "Manage" button (cards).
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let expanded = RwSignal::new(false);
    // the dialogs live in the page's host: this menu may go away while one is open
    let (dialogs, own_dialogs) = DialogHost::use_or_own();
    let root = NodeRef::<Div>::new();
    // The list is `position: fixed` at the button, so a scrolling table does not clip it.
    let place = RwSignal::new(String::new());
    let open_menu = move || {
        if let Some(el) = root.get_untracked() {
            let rect = el.get_bounding_client_rect();
            let width = web_sys::window()
                .and_then(|w| w.inner_width().ok())
                .and_then(|w| w.as_f64())
                .unwrap_or(rect.right());
            let height = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|h| h.as_f64())
                .unwrap_or(rect.bottom());
            // open upwards when the lower half of the window has no room
            let vertical = if rect.bottom() > height * 0.6 {
                format!("bottom: {}px", (height - rect.top() + 4.0).max(0.0))
            } else {
                format!("top: {}px", rect.bottom() + 4.0)
            };
            place.set(format!(
                "{vertical}; right: {}px",
                (width - rect.right()).max(0.0)
            ));
        }
        expanded.update(|e| *e = !*e);
    };
    // WAI-ARIA menu button: opening moves the focus to the first item; arrows, Home and End
    // move it; Escape closes and gives it back to the button. The list stays where it was
    // opened, so a scroll or a resize closes it.
    Effect::new(move |_| {
        if expanded.get() {
            // once the list is drawn
            request_animation_frame(move || focus_item(root, Step::First));
        }
    });
    let closer = StoredValue::new_local(None::<CloseOnMove>);
    Effect::new(move |_| {
        let open = expanded.get();
        closer.update_value(|c| *c = open.then(|| CloseOnMove::start(expanded)));
    });
    on_cleanup(move || {
        closer.try_update_value(|c| *c = None);
    });
    let on_key = move |ev: ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "Escape" if expanded.get_untracked() => {
                expanded.set(false);
                focus_button(root);
                ev.prevent_default();
                return;
            }
            "ArrowDown" if !expanded.get_untracked() => {
                ev.prevent_default();
                open_menu();
                return;
            }
            "ArrowDown" => Step::Next,
            "ArrowUp" => Step::Previous,
            "Home" => Step::First,
            "End" => Step::Last,
            _ => return,
        };
        if expanded.get_untracked() {
            ev.prevent_default();
            focus_item(root, step);
        }
    };
    let deleting = move || gateway.with(Gateway::is_deleting);
    let reason = move |verb: &str| {
        if deleting() {
            Some(t("GATEWAY_IS_DISABLING"))
        } else {
            access.denied_tip(verb)
        }
    };
    // Chromium also fires `focusout` when the focused button is removed with its card (the
    // gateway was disabled meanwhile): the menu's signals are disposed by then, so only the
    // `try_` accessors are used here.
    let close_on_focus_out = move |ev: ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(root.try_get_untracked().flatten())
            .is_some_and(|(node, root)| {
                let root: &web_sys::Node = root.as_ref();
                root.contains(Some(&node))
            });
        if !inside {
            expanded.try_set(false);
        }
    };
    let item = move |verb: &'static str,
                     label: &'static str,
                     testid: &'static str,
                     run: Callback<()>| {
        view! {
            <button
                type="button"
                role="menuitem"
                class="menu__item"
                data-testid=testid
                disabled=move || reason(verb).is_some() || !access.allows(verb)
                on:click=move |_| { expanded.set(false); run.run(()); }
            >
                <span>{move || t(label)}</span>
                {move || reason(verb).map(|r| view! { <span class="menu__item-reason">{r}</span> })}
            </button>
        }
    };
    view! {
        <div class="menu" node_ref=root on:focusout=close_on_focus_out on:keydown=on_key>
            {if compact {
                view! {
                    <button
                        type="button"
                        class="icon-button"
                        data-testid="manage-button"
                        aria-haspopup="menu"
                        aria-expanded=move || expanded.get().to_string()
                        aria-label=move || t("MANAGE")
                        title=move || t("MANAGE")
                        on:click=move |_| open_menu()
                    >"⋯"</button>
                }.into_any()
            } else {
                view! {
                    <Button
                        appearance=ButtonAppearance::Secondary
                        attr:data-testid="manage-button"
                        attr:aria-haspopup="menu"
                        attr:aria-expanded=move || expanded.get().to_string()
                        on_click=move |_| open_menu()
                    >{move || t("MANAGE")}</Button>
                }.into_any()
            }}
            <Show when=move || expanded.get()>
                <div class="menu__list" role="menu" data-testid="manage-menu" style=move || place.get()>
                    <A
                        href=move || details_path(&gateway.get())
                        attr:role="menuitem"
                        attr:class="menu__item"
                        attr:data-testid="manage-view-details"
                    >{move || t("VIEW_DETAILS")}</A>
                    {item("patch", "EDIT", "manage-edit", Callback::new(move |_| {
                        let gateway = Box::new(gateway.get_untracked());
                        dialogs.open(HostedDialog::Gateway(DialogTarget::Edit { gateway, focus_config: false }));
                    }))}
                    {item("delete", "DISABLE", "manage-disable", Callback::new(move |_| {
                        let target = DisableTarget::of(&gateway.get_untracked());
                        dialogs.open(HostedDialog::Disable { targets: vec![target], then: None });
                    }))}
                </div>
            </Show>
            {own_dialogs}
        </div>
    }
}

/// Where the focus goes in an open menu.
#[derive(Clone, Copy)]
enum Step {
    First,
    Last,
    Next,
    Previous,
}

/// Moves the focus among the enabled items of the open menu under `root` (wrapping around).
fn focus_item(root: NodeRef<Div>, step: Step) {
    let Some(list) = root
        .try_get_untracked()
        .flatten()
        .and_then(|r| r.query_selector(".menu__list").ok().flatten())
    else {
        return;
    };
    let usable = |e: &web_sys::Element| {
        e.get_attribute("role").as_deref() == Some("menuitem") && !e.has_attribute("disabled")
    };
    let mut items = Vec::new();
    let mut next = list.first_element_child();
    while let Some(e) = next {
        next = e.next_element_sibling();
        if usable(&e) {
            items.push(e);
        }
    }
    if items.is_empty() {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let current = active.and_then(|a| items.iter().position(|e| *e == a));
    let last = items.len() - 1;
    let index = match (step, current) {
        (Step::First, _) | (Step::Next, None) => 0,
        (Step::Last, _) | (Step::Previous, None) => last,
        (Step::Next, Some(i)) => {
            if i == last {
                0
            } else {
                i + 1
            }
        }
        (Step::Previous, Some(i)) => {
            if i == 0 {
                last
            } else {
                i - 1
            }
        }
    };
    if let Ok(item) = items[index].clone().dyn_into::<web_sys::HtmlElement>() {
        let _ = item.focus();
    }
}

/// Gives the focus back to the menu's button.
fn focus_button(root: NodeRef<Div>) {
    if let Some(button) = root
        .try_get_untracked()
        .flatten()
        .and_then(|r| {
            r.query_selector("[data-testid=manage-button]")
                .ok()
                .flatten()
        })
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

/// Closes an open menu when the page scrolls (anywhere: captured) or the window is resized;
/// the listeners go when this is dropped.
struct CloseOnMove {
    close: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl CloseOnMove {
    fn start(expanded: RwSignal<bool>) -> Self {
        let close = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            expanded.try_set(false);
        });
        if let Some(window) = web_sys::window() {
            let f = close.as_ref().unchecked_ref();
            let _ = window.add_event_listener_with_callback("resize", f);
            if let Some(document) = window.document() {
                let _ = document.add_event_listener_with_callback_and_bool("scroll", f, true);
            }
        }
        CloseOnMove { close }
    }
}

impl Drop for CloseOnMove {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let f = self.close.as_ref().unchecked_ref();
            let _ = window.remove_event_listener_with_callback("resize", f);
            if let Some(document) = window.document() {
                let _ = document.remove_event_listener_with_callback_and_bool("scroll", f, true);
            }
        }
    }
}

/// The Enable Gateway button of an empty state; `blocked` explains why a gateway cannot be
/// enabled here (e.g. the cluster gateway exists), in addition to permissions.
#[component]
pub fn EnableGatewayButton(
    scope: GatewayScope,
    working_namespace: Option<String>,
    access: GatewayAccess,
    #[prop(optional, into)] blocked: Signal<Option<String>>,
) -> impl IntoView {
    let (dialogs, own_dialogs) = DialogHost::use_or_own();
    let reason = move || blocked.get().or_else(|| access.denied_tip("create"));
    let target = StoredValue::new(DialogTarget::Create {
        scope,
        working_namespace,
    });
    view! {
        <div class="enable-action">
            <Button
                appearance=ButtonAppearance::Primary
                attr:data-testid="enable-gateway"
                disabled=Signal::derive(move || reason().is_some() || !access.allows("create"))
                on_click=move |_| dialogs.open(HostedDialog::Gateway(target.get_value()))
            >{move || t("ENABLE_GATEWAY")}</Button>
            {move || reason().map(|r| view! { <p class="action-reason" data-testid="enable-reason">{r}</p> })}
            {own_dialogs}
        </div>
    }
}
