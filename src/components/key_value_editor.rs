//! Key/value rows (service annotations, configuration options) with key autocomplete, per-row
//! messages and an optional hint per key. "Add" is disabled while a row is entirely empty
//! (KubeSphere's rule); values default to "".

use gateway_model::form::{can_add_row, KeyValueRow};
use gateway_model::validation::{FieldError, FormField};
use leptos::prelude::*;

use crate::components::field_message::FieldMessages;
use crate::i18n::t;

/// The editor. `row_field` names the form field of row `i`, so messages land on their row;
/// `field` is the editor as a whole (size limits, server errors without a row).
#[component]
pub fn KeyValueEditor(
    /// Used for element ids and `data-testid`s.
    name: &'static str,
    #[prop(into)] rows: Signal<Vec<KeyValueRow>>,
    on_change: Callback<Vec<KeyValueRow>>,
    #[prop(into)] messages: Signal<Vec<FieldError>>,
    field: FormField,
    row_field: fn(usize) -> FormField,
    /// Keys offered by the autocomplete.
    #[prop(into)]
    suggestions: Signal<Vec<String>>,
    /// A one-line hint for a key (type/default/summary of a known option).
    #[prop(optional)]
    hint: Option<fn(&str) -> Option<String>>,
) -> impl IntoView {
    let list_id = format!("{name}-keys");
    let count = Memo::new(move |_| rows.with(Vec::len));
    let edit = move |i: usize, f: &dyn Fn(&mut KeyValueRow)| {
        let mut next = rows.get_untracked();
        if let Some(row) = next.get_mut(i) {
            f(row);
            on_change.run(next);
        }
    };
    let remove = move |i: usize| {
        let mut next = rows.get_untracked();
        if i < next.len() {
            next.remove(i);
            on_change.run(next);
        }
    };
    let add = move |_| {
        let mut next = rows.get_untracked();
        next.push(KeyValueRow::default());
        on_change.run(next);
    };
    let editor_messages = {
        let field = field.clone();
        Signal::derive(move || {
            messages.with(|m| {
                m.iter()
                    .filter(|e| e.field == field)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let list_for_rows = list_id.clone();
    view! {
        <div class="kv-editor" data-testid=format!("{name}-editor")>
            <datalist id=list_id.clone()>
                {move || suggestions.get().into_iter().map(|k| view! { <option value=k></option> }).collect_view()}
            </datalist>
            <For each=move || 0..count.get() key=|i| *i let(i)>
                {
                    let key_value = move || rows.with(|r| r.get(i).map(|r| r.key.clone()).unwrap_or_default());
                    let value_value = move || rows.with(|r| r.get(i).map(|r| r.value.clone()).unwrap_or_default());
                    let row_messages = Signal::derive(move || {
                        messages.with(|m| m.iter().filter(|e| e.field == row_field(i)).cloned().collect::<Vec<_>>())
                    });
                    let invalid = move || row_messages.with(|m| m.iter().any(FieldError::is_error));
                    let row_hint = move || hint.and_then(|h| h(&key_value()));
                    let list = list_for_rows.clone();
                    view! {
                        <div class="kv-editor__row" data-testid=format!("{name}-row")>
                            <div class="kv-editor__inputs">
                                <input
                                    class="text-input kv-editor__key"
                                    data-testid=format!("{name}-key")
                                    list=list
                                    autocomplete="off"
                                    spellcheck="false"
                                    placeholder=move || t("KEY")
                                    aria-label=move || t("KEY")
                                    aria-invalid=move || invalid().to_string()
                                    prop:value=key_value
                                    on:input=move |ev| { let v = event_target_value(&ev); edit(i, &|r| r.key = v.clone()); }
                                />
                                <input
                                    class="text-input kv-editor__value"
                                    data-testid=format!("{name}-value")
                                    autocomplete="off"
                                    spellcheck="false"
                                    placeholder=move || t("VALUE")
                                    aria-label=move || t("VALUE")
                                    prop:value=value_value
                                    on:input=move |ev| { let v = event_target_value(&ev); edit(i, &|r| r.value = v.clone()); }
                                />
                                <button
                                    type="button"
                                    class="icon-button"
                                    data-testid=format!("{name}-remove")
                                    title=move || t("REMOVE")
                                    aria-label=move || t("REMOVE")
                                    on:click=move |_| remove(i)
                                >"×"</button>
                            </div>
                            {move || row_hint().map(|h| view! { <p class="kv-editor__hint" data-testid=format!("{name}-hint")>{h}</p> })}
                            <FieldMessages messages=row_messages/>
                        </div>
                    }
                }
            </For>
            <FieldMessages messages=editor_messages/>
            <button
                type="button"
                class="text-button"
                data-testid=format!("{name}-add")
                disabled=move || !rows.with(|r| can_add_row(r))
                on:click=add
            >{move || t("ADD")}</button>
        </div>
    }
}
