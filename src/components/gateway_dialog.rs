//! The Enable / Edit gateway dialog (reference §5): one component for both, titled by what it
//! does. Validation runs on every keystroke and is shown next to the field; nothing is sent while
//! an error remains. A create POSTs the Gateway; an edit sends a merge patch of only what the user
//! changed, carrying the `resourceVersion` it was opened on. A 409 shows what someone else changed
//! and re-applies the user's edits on top of the latest version; any failure keeps the dialog
//! open with the input intact and the server's message shown.

use gateway_model::config_options::{self, lookup};
use gateway_model::form::{GatewayForm, KeyValueRow, RebaseConflict};
use gateway_model::gateway::AccessMode;
use gateway_model::json_diff::Change;
use gateway_model::providers::PROVIDERS;
use gateway_model::validation::{errors_from_status, FieldError, FormField};
use leptos::prelude::*;
use thaw::{Button, ButtonAppearance, ButtonType, ToasterInjection};
use wasm_bindgen::JsCast;

use crate::api::use_client;
use crate::api::ApiError;
use crate::components::field_message::option_type_key;
use crate::components::field_message::FieldMessages;
use crate::components::key_value_editor::KeyValueEditor;
use crate::components::modal_form::{toast_error, toast_success, ModalForm};
use crate::i18n::{t, tr, translate, use_i18n};
pub use crate::state::actions::DialogTarget;
use crate::state::actions::{save_gateway, SaveOutcome};

/// What someone else changed while the user was editing, and where both touched the same thing.
#[derive(Clone, Debug, PartialEq)]
struct ConflictInfo {
    theirs: Vec<Change>,
    overlaps: Vec<RebaseConflict>,
}

fn option_hint(key: &str) -> Option<String> {
    let option = lookup(key.trim())?;
    let mut hint = match &option.value_type {
        config_options::OptionType::Enum(values) => values.join(" | "),
        other => t(option_type_key(other)),
    };
    if !option.default.is_empty() {
        hint.push_str(&format!(" · {} {}", t("DEFAULT"), option.default));
    }
    if !option.summary.is_empty() {
        // the catalogue's summaries are ingress-nginx's own English; other languages say so
        hint.push_str(" · ");
        hint.push_str(&t("SUMMARY_IN_ENGLISH"));
        hint.push_str(option.summary);
    }
    Some(hint)
}

fn show_value(v: &Option<String>) -> String {
    match v {
        Some(v) if v.is_empty() => "\"\"".to_string(),
        Some(v) => v.clone(),
        None => t("ABSENT"),
    }
}

fn show_json(v: &Option<serde_json::Value>) -> String {
    match v {
        None => t("ABSENT"),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn field_label(field: &FormField) -> String {
    match field {
        FormField::AccessMode => t("ACCESS_MODE"),
        FormField::Tracing => t("TRACING"),
        FormField::Provider => t("LOAD_BALANCER_PROVIDER"),
        FormField::Replicas => t("REPLICA_PL"),
        FormField::Annotations | FormField::Annotation(_) => t("ANNOTATION_PL"),
        FormField::ConfigOptions | FormField::ConfigOption(_) => t("CONFIGURATION_OPTIONS"),
        FormField::Form(path) => path.clone(),
    }
}

/// A refused save: field causes next to their fields, the rest (and the Status message) at the
/// top; a 403 adds what to do about it. The form the user typed stays as it is.
fn show_failure(
    e: ApiError,
    sent: &GatewayForm,
    locale: crate::i18n::Locale,
    form_error: RwSignal<Option<String>>,
    server_errors: RwSignal<Vec<FieldError>>,
) {
    if let Some(status) = e.status().filter(|s| s.code == 422 || s.code == 400) {
        let errors = errors_from_status(status, &sent.annotations, &sent.config);
        // causes without a field of this form go to the top, with the Status
        let at_top = errors.iter().any(|e| matches!(e.field, FormField::Form(_)));
        if at_top || errors.is_empty() {
            form_error.try_set(Some(e.message(locale)));
        }
        server_errors.try_set(
            errors
                .into_iter()
                .filter(|e| !matches!(e.field, FormField::Form(_)))
                .collect(),
        );
    } else {
        let mut text = e.message(locale);
        if e.is_forbidden() {
            let hint = translate(locale, "FORBIDDEN_WRITE_HINT", &[]);
            text = format!("{text} {hint}");
        }
        form_error.try_set(Some(text));
    }
}

#[component]
pub fn GatewayDialog(target: DialogTarget, on_close: Callback<()>) -> impl IntoView {
    let client = use_client();
    let i18n = use_i18n();
    let toaster = ToasterInjection::expect_context();
    let open = RwSignal::new(true);
    let (initial_form, base) = match &target {
        DialogTarget::Create { scope, .. } => (GatewayForm::new_for(scope), None),
        DialogTarget::Edit { gateway, .. } => (
            GatewayForm::from_gateway(gateway),
            Some((**gateway).clone()),
        ),
    };
    let is_edit = base.is_some();
    let focus_config = matches!(
        &target,
        DialogTarget::Edit {
            focus_config: true,
            ..
        }
    );
    let form = RwSignal::new(initial_form);
    let base = RwSignal::new(base);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let form_error = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<ConflictInfo>);
    let saving = RwSignal::new(false);
    let target = StoredValue::new(target);

    let update = move |f: &dyn Fn(&mut GatewayForm)| {
        form.update(|form| f(form));
        server_errors.set(Vec::new());
    };
    let messages = Memo::new(move |_| {
        let mut all = form.with(GatewayForm::validate);
        all.extend(server_errors.get());
        all
    });
    let messages_for = move |fields: &'static [fn(&FormField) -> bool]| {
        Signal::derive(move || {
            messages.with(|m| {
                m.iter()
                    .filter(|e| fields.iter().any(|f| f(&e.field)))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let blocked = move || messages.with(|m| m.iter().any(FieldError::is_error));
    let unchanged =
        move || base.with(|b| b.as_ref().is_some_and(|b| form.with(|f| !f.has_changes(b))));

    // Closing the dialog (Cancel, Esc) while a save is in flight abandons the dialog, not the
    // request: its outcome arrives later and is told by a toast. The task below holds owned
    // values only and touches the dialog's signals through `try_` accessors.
    let submit = move || {
        if saving.get_untracked() || blocked() {
            return;
        }
        let client = client.clone();
        let current = form.get_untracked();
        let original = base.get_untracked();
        let target = target.get_value();
        let name = original.as_ref().map(|g| g.name().to_string());
        saving.set(true);
        form_error.set(None);
        server_errors.set(Vec::new());
        leptos::task::spawn_local(async move {
            let outcome = save_gateway(&client, &target, &current, original.as_ref()).await;
            let locale = i18n.now();
            let closed = saving.try_set(false).is_some();
            match outcome {
                SaveOutcome::Unchanged => {
                    open.try_set(false);
                }
                SaveOutcome::Saved(_) => {
                    let key = if is_edit {
                        "UPDATE_SUCCESSFUL"
                    } else {
                        "ENABLE_SUCCESSFUL"
                    };
                    // (no reactive owner in this task: translate with the captured locale)
                    toast_success(toaster, translate(locale, key, &[]));
                    open.try_set(false);
                }
                SaveOutcome::Conflict { .. } | SaveOutcome::Failed(_) if closed => {
                    let message = match &outcome {
                        SaveOutcome::Failed(e) => e.message(locale),
                        _ => translate(locale, "CONFLICT_TITLE", &[]),
                    };
                    let name = name.unwrap_or_default();
                    toast_error(
                        toaster,
                        translate(
                            locale,
                            "SAVE_FAILED_CLOSED",
                            &[("name", &name), ("message", &message)],
                        ),
                    );
                }
                SaveOutcome::Conflict {
                    latest,
                    rebased,
                    theirs,
                    overlaps,
                } => {
                    conflict.try_set(Some(ConflictInfo { theirs, overlaps }));
                    form.try_set(*rebased);
                    base.try_set(Some(*latest));
                }
                SaveOutcome::Failed(e) => {
                    show_failure(e, &current, locale, form_error, server_errors)
                }
            }
        });
    };
    let submit = Callback::new(move |_| submit());

    let provider_value = move || form.with(|f| f.provider.clone().unwrap_or_default());
    let annotation_suggestions = Memo::new(move |_| {
        form.with(|f| {
            f.suggested_annotation_keys()
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
    });
    let config_suggestions = Memo::new(move |_| {
        // The browser's datalist filters by what is typed; offer every current key not used yet.
        let used: Vec<String> = form.with(|f| f.config.iter().map(|r| r.key.clone()).collect());
        config_options::catalogue()
            .iter()
            .filter(|o| !o.is_removed() && !used.iter().any(|k| k == o.key))
            .map(|o| o.key.to_string())
            .collect::<Vec<_>>()
    });
    let is_lb = move || form.with(|f| f.access_mode == AccessMode::LoadBalancer);
    // Edit from the Configuration Options tab: the dialog opens scrolled to the options, the
    // first one focused
    let config_section = NodeRef::<leptos::html::Div>::new();
    if focus_config {
        focus_section(config_section, 20);
    }
    let title = move || {
        if is_edit {
            let name = base.with(|b| b.as_ref().map(|g| g.name().to_string()).unwrap_or_default());
            tr("EDIT_GATEWAY_TITLE", &[("name", &name)])
        } else {
            t("ENABLE_GATEWAY")
        }
    };

    let ok_button = move || {
        view! {
            <Button
                appearance=ButtonAppearance::Primary
                button_type=ButtonType::Submit
                attr:data-testid="dialog-ok"
                disabled=Signal::derive(move || saving.get() || blocked())
                loading=saving
                attr:title=move || if unchanged() { t("NO_CHANGES") } else { String::new() }
            >{move || if conflict.with(Option::is_some) { t("SAVE_ON_LATEST") } else { t("OK") }}</Button>
        }
    };
    view! {
        <ModalForm
            class="gateway-dialog"
            testid="gateway-dialog"
            open
            on_close
            on_submit=submit
            title=move || view! {
                <span class="gateway-dialog__title">{title}</span>
                <span class="gateway-dialog__subtitle">{move || t("ENABLE_GATEWAY_DESC")}</span>
            }
            submit=ok_button
            content_class="gateway-dialog__content"
        >
            {move || conflict.get().map(|c| view! { <ConflictPanel info=c/> })}
            {move || form_error.get().map(|e| view! {
                <p class="form-error" role="alert" data-testid="form-error">{e}</p>
            })}
            <fieldset class="form-field">
                <legend class="form-field__label">{move || t("ACCESS_MODE")}</legend>
                <div class="mode-choice" role="radiogroup">
                    {[AccessMode::NodePort, AccessMode::LoadBalancer].into_iter().map(|mode| {
                        let desc_key = if mode == AccessMode::NodePort { "NODEPORT_DESC" } else { "LOADBALANCER_DESC" };
                        view! {
                            <label class="mode-choice__option" class:mode-choice__option--selected=move || form.with(|f| f.access_mode == mode)>
                                <input
                                    type="radio"
                                    name="access-mode"
                                    value=mode.as_str()
                                    data-testid=format!("access-mode-{}", mode.as_str())
                                    prop:checked=move || form.with(|f| f.access_mode == mode)
                                    on:change=move |_| update(&|f| f.set_access_mode(mode))
                                />
                                <span class="mode-choice__name">{mode.as_str()}</span>
                                <span class="mode-choice__desc">{move || t(desc_key)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                <FieldMessages messages=messages_for(&[|f| matches!(f, FormField::AccessMode)])/>
            </fieldset>
            <div class="form-field">
                <label class="switch-field">
                    <input
                        type="checkbox"
                        role="switch"
                        data-testid="tracing"
                        prop:checked=move || form.with(|f| f.tracing)
                        on:change=move |ev| { let on = event_target_checked(&ev); update(&|f| f.tracing = on); }
                    />
                    <span class="form-field__label">{move || t("TRACING")}</span>
                </label>
                <p class="form-field__tip">
                    {move || t("GATEWAY_TRACING_TIP_BEFORE")}
                    <code>"nginx.ingress.kubernetes.io/service-upstream: true"</code>
                    {move || t("GATEWAY_TRACING_TIP_AFTER")}
                </p>
                <FieldMessages messages=messages_for(&[|f| matches!(f, FormField::Tracing)])/>
            </div>
            <Show when=is_lb>
                <div class="form-field">
                    <label class="form-field__label" for="gateway-provider">{move || t("LOAD_BALANCER_PROVIDER")}</label>
                    <select
                        id="gateway-provider"
                        class="text-input"
                        data-testid="provider"
                        prop:value=provider_value
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            update(&|f| f.set_provider(Some(v.as_str()).filter(|v| !v.is_empty())));
                        }
                    >
                        <option value="">{move || t("NO_PROVIDER")}</option>
                        {PROVIDERS.iter().map(|p| view! { <option value=p.value>{p.label}</option> }).collect_view()}
                        {move || {
                            // A stored provider the catalogue does not know stays selectable.
                            let current = provider_value();
                            (!current.is_empty() && !PROVIDERS.iter().any(|p| p.value == current))
                                .then(|| view! { <option value=current.clone()>{current.clone()}</option> })
                        }}
                    </select>
                    <FieldMessages messages=messages_for(&[|f| matches!(f, FormField::Provider)])/>
                </div>
                <div class="form-field">
                    <span class="form-field__label">{move || t("ANNOTATION_PL")}</span>
                    <KeyValueEditor
                        name="annotation"
                        rows=Signal::derive(move || form.with(|f| f.annotations.clone()))
                        on_change=Callback::new(move |rows: Vec<KeyValueRow>| update(&|f| f.annotations = rows.clone()))
                        messages=messages
                        field=FormField::Annotations
                        row_field=FormField::Annotation
                        suggestions=annotation_suggestions
                    />
                </div>
            </Show>
            <div class="form-field" node_ref=config_section data-testid="dialog-config-section">
                <span class="form-field__label">{move || t("CONFIGURATION_OPTIONS")}</span>
                <p class="form-field__tip">{move || t("CONFIGURATION_OPTIONS_TIP")}</p>
                <KeyValueEditor
                    name="config"
                    rows=Signal::derive(move || form.with(|f| f.config.clone()))
                    on_change=Callback::new(move |rows: Vec<KeyValueRow>| update(&|f| f.config = rows.clone()))
                    messages=messages
                    field=FormField::ConfigOptions
                    row_field=FormField::ConfigOption
                    suggestions=config_suggestions
                    hint=option_hint
                />
            </div>
            <div class="form-field">
                <label class="form-field__label" for="gateway-replicas">{move || t("REPLICA_PL")}</label>
                <input
                    id="gateway-replicas"
                    class="text-input text-input--narrow"
                    type="number"
                    min="0"
                    data-testid="replicas"
                    prop:value=move || form.with(|f| f.replicas.to_string())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        let n = v.trim().parse::<i64>().unwrap_or(-1).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
                        update(&|f| f.replicas = n as i32);
                    }
                />
                <FieldMessages messages=messages_for(&[|f| matches!(f, FormField::Replicas)])/>
            </div>
        </ModalForm>
    }
}

/// Scrolls to `section` and focuses its first input once the dialog has drawn it (the dialog
/// opens with a transition: up to `frames` animation frames).
fn focus_section(section: NodeRef<leptos::html::Div>, frames: u32) {
    request_animation_frame(move || match section.try_get_untracked() {
        Some(Some(el)) => {
            el.scroll_into_view();
            if let Ok(Some(input)) = el.query_selector("input") {
                if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        }
        Some(None) if frames > 0 => focus_section(section, frames - 1),
        _ => {}
    });
}

/// "Someone else changed this gateway": their changes, and the overlaps where the user's value
/// now replaces theirs.
#[component]
fn ConflictPanel(info: ConflictInfo) -> impl IntoView {
    let ConflictInfo { theirs, overlaps } = info;
    let nothing_visible = theirs.is_empty();
    view! {
        <section class="conflict-panel" role="alert" data-testid="conflict-panel">
            <h3>{move || t("CONFLICT_TITLE")}</h3>
            <p>{move || if nothing_visible { t("CONFLICT_NO_VISIBLE_CHANGE") } else { t("CONFLICT_DESC") }}</p>
            {(!theirs.is_empty()).then(|| view! {
                <table class="conflict-panel__changes" data-testid="conflict-theirs">
                    <thead><tr>
                        <th scope="col">{move || t("FIELD")}</th>
                        <th scope="col">{move || t("BEFORE")}</th>
                        <th scope="col">{move || t("THEIR_VALUE")}</th>
                    </tr></thead>
                    <tbody>
                        {theirs.into_iter().map(|c| {
                            let old = c.old.clone();
                            let new = c.new.clone();
                            view! {
                                <tr>
                                    <td><code>{c.display_path()}</code></td>
                                    <td>{move || show_json(&old)}</td>
                                    <td>{move || show_json(&new)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!overlaps.is_empty()).then(|| view! {
                <p class="conflict-panel__overlap-title">{move || t("CONFLICT_OVERLAPS")}</p>
                <ul class="conflict-panel__overlaps" data-testid="conflict-overlaps">
                    {overlaps.into_iter().map(|o| {
                        let label = o.key.clone().map(|k| format!("{} · {k}", field_label(&o.field)));
                        let field = o.field.clone();
                        view! {
                            <li>
                                <strong>{move || label.clone().unwrap_or_else(|| field_label(&field))}</strong>
                                ": "
                                {move || tr("CONFLICT_OVERLAP_VALUES", &[
                                    ("theirs", &show_value(&o.theirs)),
                                    ("ours", &show_value(&o.ours)),
                                ])}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
