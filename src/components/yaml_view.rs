//! A read-only YAML view of an object: coloured by text spans over typed tokens (never an HTML
//! string), every block foldable (`managedFields` folded at first), with Copy and Download. The
//! download leaves `managedFields` out, as `kubectl get -o yaml` does, so that
//! `kubectl apply -f <name>.yaml` takes it back.

use std::collections::BTreeSet;

use gateway_model::yaml::{lines, to_yaml, TokenKind, YamlLine};
use leptos::prelude::*;
use serde_json::Value;
use thaw::{Button, ButtonAppearance};

use crate::i18n::{t, tr};

/// The object as it is downloaded and copied: without `managedFields`.
pub fn download_text(object: &Value) -> String {
    let mut object = object.clone();
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    to_yaml(&object)
}

fn token_class(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Key => "yaml-key",
        TokenKind::String => "yaml-string",
        TokenKind::Number => "yaml-number",
        TokenKind::Bool => "yaml-bool",
        TokenKind::Null => "yaml-null",
        TokenKind::Punct => "yaml-punct",
    }
}

#[component]
pub fn YamlView(
    /// The object (JSON).
    #[prop(into)]
    object: Signal<Value>,
    /// The download's file name.
    #[prop(into)]
    file_name: Signal<String>,
) -> impl IntoView {
    let all_lines = Memo::new(move |_| object.with(lines));
    // folded blocks, by their first line's text path; managedFields starts folded
    let folded = RwSignal::new(None::<BTreeSet<usize>>);
    Effect::new(move |_| {
        if folded.with_untracked(Option::is_none) {
            let initial = all_lines.with(|l| {
                l.iter()
                    .enumerate()
                    .filter(|(_, line)| line.indent == 2 && line.key() == Some("managedFields"))
                    .map(|(i, _)| i)
                    .collect::<BTreeSet<_>>()
            });
            folded.set(Some(initial));
        }
    });
    let copy_state = RwSignal::new(None::<Result<(), ()>>);
    let pre = NodeRef::<leptos::html::Pre>::new();
    let copy = move |_| {
        let text = object.with_untracked(download_text);
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        let Some(clipboard) = clipboard else {
            copy_state.set(Some(Err(())));
            return;
        };
        let promise = clipboard.write_text(&text);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await;
            if done.is_err() {
                // the page may not be allowed the clipboard: select the text for Ctrl+C
                if let (Some(Some(el)), Some(selection)) = (
                    pre.try_get_untracked(),
                    web_sys::window().and_then(|w| w.get_selection().ok().flatten()),
                ) {
                    let _ = selection.select_all_children(&el);
                }
            }
            copy_state.try_set(Some(done.map(|_| ()).map_err(|_| ())));
        });
    };
    let download = move |_| {
        let text = object.with_untracked(download_text);
        crate::download::save_file(&file_name.get_untracked(), &text, "application/yaml");
    };
    let toggle = move |i: usize| {
        folded.update(|f| {
            let f = f.get_or_insert_with(BTreeSet::new);
            if !f.remove(&i) {
                f.insert(i);
            }
        })
    };
    view! {
        <section class="details-panel yaml-panel" data-testid="yaml-panel">
            <div class="yaml-panel__head">
                <h3>{move || t("YAML")}</h3>
                <span class="yaml-panel__note">{move || t("YAML_READ_ONLY")}</span>
                <Button appearance=ButtonAppearance::Secondary attr:data-testid="yaml-copy" on_click=copy>{move || t("COPY")}</Button>
                <Button appearance=ButtonAppearance::Secondary attr:data-testid="yaml-download" on_click=download>{move || t("DOWNLOAD")}</Button>
                <span class="yaml-panel__status" role="status" data-testid="yaml-copy-status">{move || match copy_state.get() {
                    Some(Ok(())) => t("COPIED"),
                    Some(Err(())) => t("COPY_FAILED"),
                    None => String::new(),
                }}</span>
            </div>
            <pre class="yaml-view" node_ref=pre data-testid="yaml-view"><code>{move || {
                let folded = folded.get().unwrap_or_default();
                all_lines.with(|list| render_lines(list, &folded, toggle))
            }}</code></pre>
        </section>
    }
}

/// The visible lines: those inside a folded block are skipped, its first line says how many.
fn render_lines(
    list: &[YamlLine],
    folded: &BTreeSet<usize>,
    toggle: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> Vec<AnyView> {
    let mut out = Vec::with_capacity(list.len());
    let mut i = 0;
    while i < list.len() {
        let line = &list[i];
        let is_folded = folded.contains(&i) && line.block_end.is_some();
        let fold = line.block_end.filter(|end| *end > i + 1).map(|end| {
            let hidden = end - i - 1;
            let label = line.key().unwrap_or_default().to_string();
            view! {
                <button
                    type="button"
                    class="yaml-fold"
                    data-testid="yaml-fold"
                    aria-expanded=(!is_folded).to_string()
                    aria-label=move || if is_folded { tr("UNFOLD_BLOCK", &[("key", &label)]) } else { tr("FOLD_BLOCK", &[("key", &label)]) }
                    on:click=move |_| toggle(i)
                >{if is_folded { "▸" } else { "▾" }}</button>
                {is_folded.then(|| view! { <span class="yaml-folded" data-testid="yaml-folded">{move || tr("FOLDED_LINES", &[("count", &hidden.to_string())])}</span> })}
            }
        });
        out.push(
            view! {
                <span class="yaml-line">
                    <span class="yaml-gutter">{fold}</span>
                    {" ".repeat(line.indent)}
                    {line.tokens.iter().map(|(kind, text)| view! { <span class=token_class(*kind)>{text.clone()}</span> }).collect_view()}
                    "\n"
                </span>
            }
            .into_any(),
        );
        i = match (is_folded, line.block_end) {
            (true, Some(end)) => end,
            _ => i + 1,
        };
    }
    out
}
