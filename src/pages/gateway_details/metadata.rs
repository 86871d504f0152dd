//! Details → Metadata: the Service annotations (what KubeSphere shows here), the Gateway's own
//! labels and annotations, and its YAML (read-only, Copy, Download).

use gateway_model::gateway::Gateway;
use leptos::prelude::*;

use super::DetailsContext;
use crate::components::key_value_panel::KeyValuePanel;
use crate::components::yaml_view::YamlView;

#[component]
pub fn MetadataTab(context: DetailsContext) -> impl IntoView {
    let g = context.gateway;
    let object = Signal::derive(move || g.with(Gateway::to_value));
    let file_name = Signal::derive(move || g.with(|g| format!("{}.yaml", g.name())));
    view! {
        <div class="details-grid">
            <KeyValuePanel
                title_key="SERVICE_ANNOTATIONS"
                testid="details-service-annotations"
                entries=Signal::derive(move || g.with(Gateway::service_annotations))
            />
            <KeyValuePanel
                title_key="LABELS"
                testid="details-labels"
                entries=Signal::derive(move || g.with(|g| g.metadata.labels.clone().unwrap_or_default().into_iter().collect()))
            />
            <KeyValuePanel
                title_key="METADATA_ANNOTATIONS"
                testid="details-annotations"
                entries=Signal::derive(move || g.with(|g| g.metadata.annotations.clone().unwrap_or_default().into_iter().collect()))
            />
        </div>
        <YamlView object file_name/>
    }
}
