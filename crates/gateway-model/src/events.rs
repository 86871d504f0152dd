//! The Events tab: core/v1 Events of a gateway and of what runs it (its Service, Deployment,
//! ReplicaSets and pods), newest first.
//!
//! A field selector matches one object (`involvedObject.name=…`), and a gateway's ReplicaSets and
//! pods come and go, so the tab watches its namespace's Events once (one connection) and keeps
//! those whose `involvedObject` belongs to the gateway by the names the chart and the Deployment
//! and ReplicaSet controllers give: the Deployment and Service are named like the gateway, a
//! ReplicaSet `<deployment>-<hash>`, a pod `<deployment>-<hash>-<suffix>`; the controller's
//! ConfigMap is named like the gateway too.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ListableResource, Metadata, NamespaceResourceScope, Resource};
use serde::Deserialize;

/// A core/v1 Event, reduced to what the tab shows.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    #[serde(
        default,
        deserialize_with = "crate::gateway_json::deserialize_object_meta"
    )]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub involved_object: InvolvedObject,
    pub reason: Option<String>,
    pub message: Option<String>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub count: Option<i32>,
    pub first_timestamp: Option<String>,
    pub last_timestamp: Option<String>,
    pub event_time: Option<String>,
    pub series: Option<EventSeriesView>,
    pub source: Option<EventSourceView>,
    pub reporting_component: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct InvolvedObject {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    #[serde(rename = "fieldPath")]
    pub field_path: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EventSeriesView {
    pub count: Option<i32>,
    pub last_observed_time: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct EventSourceView {
    pub component: Option<String>,
    pub host: Option<String>,
}

impl Resource for EventView {
    const API_VERSION: &'static str = "v1";
    const GROUP: &'static str = "";
    const KIND: &'static str = "Event";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "events";
    type Scope = NamespaceResourceScope;
}

impl ListableResource for EventView {
    const LIST_KIND: &'static str = "EventList";
}

impl Metadata for EventView {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// Most events the tab keeps (the newest).
pub const MAX_EVENTS: usize = 300;

impl EventView {
    /// `Warning` (or any type other than `Normal`).
    pub fn is_warning(&self) -> bool {
        self.type_.as_deref().is_some_and(|t| t != "Normal")
    }

    /// When it was last seen: the series' last observation, `lastTimestamp`, `eventTime`, or
    /// the object's creation (RFC 3339, as the API writes it).
    pub fn last_seen(&self) -> Option<&str> {
        self.series
            .as_ref()
            .and_then(|s| s.last_observed_time.as_deref())
            .or(self.last_timestamp.as_deref())
            .or(self.event_time.as_deref())
            .or(self.first_timestamp.as_deref())
    }

    /// When it was first seen.
    pub fn first_seen(&self) -> Option<&str> {
        self.first_timestamp
            .as_deref()
            .or(self.event_time.as_deref())
    }

    /// How many times it happened (`count`, or the series' count, at least 1).
    pub fn times(&self) -> i32 {
        self.series
            .as_ref()
            .and_then(|s| s.count)
            .or(self.count)
            .unwrap_or(1)
            .max(1)
    }

    /// `Kind/name` of the object it is about.
    pub fn object(&self) -> String {
        format!(
            "{}/{}",
            self.involved_object.kind.as_deref().unwrap_or_default(),
            self.involved_object.name.as_deref().unwrap_or_default()
        )
    }

    /// Who reported it (`source.component`, else `reportingComponent`).
    pub fn reporter(&self) -> Option<&str> {
        self.source
            .as_ref()
            .and_then(|s| s.component.as_deref())
            .filter(|c| !c.is_empty())
            .or(self.reporting_component.as_deref())
    }
}

/// True when the event is about the gateway `gateway` or its workloads (see the module doc).
pub fn belongs_to(event: &EventView, gateway: &str) -> bool {
    let kind = event.involved_object.kind.as_deref().unwrap_or_default();
    let name = event.involved_object.name.as_deref().unwrap_or_default();
    let generated = name
        .strip_prefix(gateway)
        .and_then(|rest| rest.strip_prefix('-'));
    match kind {
        "Gateway" | "Deployment" | "Service" | "ConfigMap" => name == gateway,
        // `<deployment>-<hash>`: the hash has no dash (a longer gateway name would leave one)
        "ReplicaSet" => generated.is_some_and(|h| !h.is_empty() && !h.contains('-')),
        // `<deployment>-<hash>-<suffix>`
        "Pod" => generated.is_some_and(|rest| {
            rest.split_once('-')
                .is_some_and(|(h, s)| !h.is_empty() && !s.is_empty() && !s.contains('-'))
        }),
        _ => false,
    }
}

/// The gateway's events, newest first (ties: by name, for a stable order), at most
/// [`MAX_EVENTS`].
pub fn of_gateway<'a>(
    events: impl IntoIterator<Item = &'a EventView>,
    gateway: &str,
) -> Vec<EventView> {
    let mut list: Vec<EventView> = events
        .into_iter()
        .filter(|e| belongs_to(e, gateway))
        .cloned()
        .collect();
    sort_newest_first(&mut list);
    list.truncate(MAX_EVENTS);
    list
}

/// Newest first. RFC 3339 UTC times (`Z`, optional fraction) order as text, except a fraction:
/// times are compared by their parsed seconds, then text.
pub fn sort_newest_first(list: &mut [EventView]) {
    let key = |e: &EventView| {
        e.last_seen()
            .and_then(crate::gateway_json::parse_time)
            .map(|t| t.0.as_millisecond())
    };
    list.sort_by(|a, b| {
        key(b)
            .cmp(&key(a))
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, name: &str, last: Option<&str>) -> EventView {
        serde_json::from_value(json!({
            "metadata": {"name": format!("{name}.{}", last.unwrap_or("x"))},
            "involvedObject": {"kind": kind, "name": name},
            "reason": "Started", "type": "Normal", "lastTimestamp": last
        }))
        .unwrap()
    }

    #[test]
    fn which_objects_belong_to_a_gateway() {
        let gw = "kubesphere-router-foo";
        let yes = [
            ("Gateway", "kubesphere-router-foo"),
            ("Deployment", "kubesphere-router-foo"),
            ("Service", "kubesphere-router-foo"),
            ("ConfigMap", "kubesphere-router-foo"),
            ("ReplicaSet", "kubesphere-router-foo-5d8fbc7d9"),
            ("Pod", "kubesphere-router-foo-5d8fbc7d9-x2k4p"),
        ];
        let no = [
            ("Gateway", "kubesphere-router-foo-bar"),
            ("ReplicaSet", "kubesphere-router-foo-bar-5d8fbc7d9"),
            ("Pod", "kubesphere-router-foo-bar-5d8fbc7d9-x2k4p"),
            ("Pod", "kubesphere-router-foo-5d8fbc7d9"),
            ("ReplicaSet", "kubesphere-router-foo-"),
            ("Pod", "kubesphere-router-foo--x"),
            ("Node", "kubesphere-router-foo"),
            ("Deployment", "kubesphere-router-fo"),
        ];
        for (k, n) in yes {
            assert!(belongs_to(&event(k, n, None), gw), "{k}/{n}");
        }
        for (k, n) in no {
            assert!(!belongs_to(&event(k, n, None), gw), "{k}/{n}");
        }
    }

    #[test]
    fn newest_first_with_fractions_and_missing_times_last() {
        let gw = "g";
        let list = [
            event("Pod", "g-h-aaaaa", Some("2026-01-01T00:00:01Z")),
            event("Pod", "g-h-bbbbb", Some("2026-01-01T00:00:01.500Z")),
            event("Gateway", "g", None),
            event("Deployment", "g", Some("2026-01-01T00:00:00Z")),
            event("Pod", "other-h-ccccc", Some("2027-01-01T00:00:00Z")),
        ];
        let sorted: Vec<String> = of_gateway(&list, gw)
            .iter()
            .map(EventView::object)
            .collect();
        assert_eq!(
            sorted,
            vec![
                "Pod/g-h-bbbbb",
                "Pod/g-h-aaaaa",
                "Deployment/g",
                "Gateway/g"
            ]
        );
    }

    #[test]
    fn series_and_counts() {
        let e: EventView = serde_json::from_value(json!({
            "involvedObject": {"kind": "Pod", "name": "p"}, "type": "Warning", "reason": "BackOff",
            "count": 3, "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:01:00Z",
            "source": {"component": "kubelet", "host": "node1"}
        }))
        .unwrap();
        assert!(e.is_warning());
        assert_eq!(e.times(), 3);
        assert_eq!(e.last_seen(), Some("2026-01-01T00:01:00Z"));
        assert_eq!(e.first_seen(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(e.reporter(), Some("kubelet"));
        // events.k8s.io-style: eventTime and series, no timestamps
        let e: EventView = serde_json::from_value(json!({
            "involvedObject": {"kind": "Pod", "name": "p"}, "type": "Normal", "eventTime": "2026-01-01T00:00:00.000001Z",
            "series": {"count": 7, "lastObservedTime": "2026-01-01T00:09:00.000001Z"}, "reportingComponent": "kubelet"
        }))
        .unwrap();
        assert!(!e.is_warning());
        assert_eq!(e.times(), 7);
        assert_eq!(e.last_seen(), Some("2026-01-01T00:09:00.000001Z"));
        assert_eq!(e.reporter(), Some("kubelet"));
        let empty: EventView = serde_json::from_value(json!({})).unwrap();
        assert_eq!(empty.times(), 1);
        assert_eq!(empty.object(), "/");
    }

    #[test]
    fn at_most_max_events_are_kept() {
        let list: Vec<EventView> = (0..MAX_EVENTS + 20)
            .map(|i| {
                event(
                    "Gateway",
                    "g",
                    Some(&format!("2026-01-01T00:{:02}:{:02}Z", i / 60 % 60, i % 60)),
                )
            })
            .collect();
        let kept = of_gateway(&list, "g");
        assert_eq!(kept.len(), MAX_EVENTS);
        assert_eq!(kept[0].last_seen(), list.last().unwrap().last_seen());
    }
}
