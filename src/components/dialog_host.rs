//! Where the Edit / Enable and Disable dialogs live while open.
//!
//! They are opened from places that can go away under the user: a table row re-sorted or paged
//! away by a live update, a card whose gateway someone else disabled. A dialog rendered inside
//! such a place would be disposed with it, losing what the user typed. So the opener only asks
//! the page-level host to show a dialog, and the host renders it beside the routes. The host
//! closes its dialog when the route changes.

use leptos::prelude::*;

use crate::chunks::{parts, OnDemand, Placeholder};
use crate::state::actions::{DialogTarget, DisableTarget};

/// A dialog the host shows.
#[derive(Clone)]
pub enum HostedDialog {
    /// Enable (create) or Edit a gateway.
    Gateway(DialogTarget),
    /// Disable one or several gateways; after success, go to the path `then` (the details page
    /// of a disabled gateway has nothing left to show).
    Disable {
        targets: Vec<DisableTarget>,
        then: Option<String>,
    },
}

/// The host's handle: openers call [`DialogHost::open`].
#[derive(Clone, Copy)]
pub struct DialogHost {
    open: RwSignal<Option<HostedDialog>>,
}

impl DialogHost {
    fn new() -> Self {
        DialogHost {
            open: RwSignal::new(None),
        }
    }

    /// The host of the page (provided by [`DialogOutlet`]); without one (a component rendered
    /// alone), a host of the caller's own, rendered by the returned view.
    pub fn use_or_own() -> (Self, Option<AnyView>) {
        match use_context::<DialogHost>() {
            Some(host) => (host, None),
            None => {
                let host = DialogHost::new();
                (host, Some(view! { <HostedDialogs host/> }.into_any()))
            }
        }
    }

    /// Shows `dialog` (replacing any other).
    pub fn open(self, dialog: HostedDialog) {
        self.open.try_set(Some(dialog));
    }

    /// Closes the dialog.
    pub fn close(self) {
        self.open.try_set(None);
    }
}

/// Provides the host to its children, and renders its dialog after them. Inside the router:
/// the dialog closes when the path changes.
#[component]
pub fn DialogOutlet(children: Children) -> impl IntoView {
    let host = DialogHost::new();
    provide_context(host);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let now = location.pathname.get();
        if previous.is_some_and(|p| p != now) {
            host.close();
        }
        now
    });
    view! {
        {children()}
        <HostedDialogs host/>
    }
}

#[component]
fn HostedDialogs(host: DialogHost) -> impl IntoView {
    move || {
        host.open.get().map(|dialog| {
            let on_close = Callback::new(move |_| host.close());
            match dialog {
                HostedDialog::Gateway(target) => view! {
                    <OnDemand
                        load=move || parts::gateway_dialog(target.clone(), on_close)
                        placeholder=Placeholder::Floating
                        on_dismiss=on_close
                    />
                }
                .into_any(),
                HostedDialog::Disable { targets, then } => view! {
                    <OnDemand
                        load=move || parts::disable_dialog(targets.clone(), then.clone(), on_close)
                        placeholder=Placeholder::Floating
                        on_dismiss=on_close
                    />
                }
                .into_any(),
            }
        })
    }
}
