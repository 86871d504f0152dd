//! Says so when the working namespace of project gateways could not be read and KubeSphere's
//! default is assumed.

use leptos::prelude::*;
use thaw::{MessageBar, MessageBarBody, MessageBarIntent};

use crate::i18n::{tr, use_i18n};
use crate::state::working_namespace::WorkingNamespaceState;

#[component]
pub fn WorkingNamespaceNote(#[prop(into)] state: Signal<WorkingNamespaceState>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        state.with(|s| {
            let error = s.error()?.clone();
            let namespace = s.known()?.as_option().unwrap_or_default().to_string();
            Some(view! {
                <div class="page-notice" data-testid="working-namespace-assumed">
                    <MessageBar intent=MessageBarIntent::Warning>
                        <MessageBarBody>
                            {move || tr("WORKING_NAMESPACE_ASSUMED", &[
                                ("message", &error.message(i18n.locale.get())),
                                ("namespace", &namespace),
                            ])}
                        </MessageBarBody>
                    </MessageBar>
                </div>
            })
        })
    }
}
