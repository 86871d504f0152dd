//! The shell of every dialog that submits something: thaw's `Dialog` (teleported, focus trap,
//! Esc), a `<form>` (Enter submits; validation is ours, so `novalidate`), the title, the content
//! and the actions — Cancel, then the caller's submit button. Closing in any way (Cancel, Esc, or
//! the caller setting `open` to false after a success) calls `on_close`.
//!
//! The content is a plain `div.thaw-dialog-content`: thaw 0.5's `DialogContent` renders an
//! `<h2>`, which would make the whole form one heading for screen readers.

use leptos::prelude::*;
use thaw::{
    Button, ButtonAppearance, ButtonType, Dialog, DialogActions, DialogBody, DialogSurface,
    DialogTitle, ToastBody, ToastIntent, ToastOptions, ToasterInjection,
};

use crate::i18n::t;

#[component]
pub fn ModalForm(
    /// Class of the surface (sets the width: `gateway-dialog`, `disable-dialog`).
    class: &'static str,
    /// `data-testid` of the form.
    testid: &'static str,
    /// The dialog is shown while true.
    open: RwSignal<bool>,
    on_close: Callback<()>,
    on_submit: Callback<()>,
    #[prop(into)] title: ViewFn,
    /// The primary button, after Cancel.
    #[prop(into)]
    submit: ViewFn,
    /// Extra class of the content (e.g. a scrolling body).
    #[prop(optional)]
    content_class: &'static str,
    children: Children,
) -> impl IntoView {
    Effect::new(move |_| {
        if !open.get() {
            on_close.run(());
        }
    });
    view! {
        <Dialog open=open mask_closeable=false>
            <DialogSurface class=class>
                <form
                    data-testid=testid
                    novalidate=true
                    on:submit=move |ev| { ev.prevent_default(); on_submit.run(()); }
                >
                <DialogBody>
                    <DialogTitle>{title.run()}</DialogTitle>
                    <div class=format!("thaw-dialog-content {content_class}")>{children()}</div>
                    <DialogActions>
                        <Button
                            appearance=ButtonAppearance::Secondary
                            button_type=ButtonType::Button
                            attr:data-testid="dialog-cancel"
                            on_click=move |_| open.set(false)
                        >{move || t("CANCEL")}</Button>
                        {submit.run()}
                    </DialogActions>
                </DialogBody>
                </form>
            </DialogSurface>
        </Dialog>
    }
}

/// A success toast with `text` (already translated: callers are often in a task without a
/// reactive owner).
pub fn toast_success(toaster: ToasterInjection, text: String) {
    toaster.dispatch_toast(
        move || view! { <thaw::Toast><ToastBody>{text.clone()}</ToastBody></thaw::Toast> },
        ToastOptions::default().with_intent(ToastIntent::Success),
    );
}

/// An error toast with `text` (already translated), for outcomes that arrive after their dialog
/// was closed.
pub fn toast_error(toaster: ToasterInjection, text: String) {
    toaster.dispatch_toast(
        move || view! { <thaw::Toast><ToastBody><span data-testid="toast-error">{text.clone()}</span></ToastBody></thaw::Toast> },
        ToastOptions::default().with_intent(ToastIntent::Error),
    );
}
