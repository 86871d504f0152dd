//! An API error shown in place of the data it prevented, with the server's message.
//! The watch behind it keeps retrying on its own.

use leptos::prelude::*;
use thaw::{MessageBar, MessageBarBody, MessageBarIntent, MessageBarTitle};

use crate::api::ApiError;
use crate::i18n::{t, tr, use_i18n};

#[component]
pub fn InlineError(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let url = error.url().to_string();
    view! {
        <div class="inline-error" data-testid="inline-error">
            <MessageBar intent=MessageBarIntent::Error>
                <MessageBarBody>
                    <MessageBarTitle>{move || error.message(i18n.locale.get())}</MessageBarTitle>
                    <span class="inline-error__url">{move || tr("TRIED_URL", &[("url", &url)])}</span>
                    " "
                    <span>{move || t("RECONNECTING")}</span>
                </MessageBarBody>
            </MessageBar>
        </div>
    }
}
