//! The Project Gateways table's rows: project gateways and legacy (3.0/3.1) gateways in one
//! list that is searched, sorted, counted and paged the same way.
//!
//! The Kubernetes API can neither sort nor search by substring, so the table works on the live
//! cache client-side. [`RowFacts`] are what search and sort read, computed once per cache
//! change (lowercased names, creation times); [`select_page`] then only compares them.

use crate::gateway::Gateway;
use crate::legacy::LegacyGateway;

/// Sortable columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Project,
    AccessMode,
    Replicas,
    Created,
}

/// Sort order: column and direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub ascending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        // newest first, like KubeSphere's `sortBy=createTime`
        Sort {
            key: SortKey::Created,
            ascending: false,
        }
    }
}

/// Which object a row shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    /// A Gateway object.
    Gateway { namespace: String, name: String },
    /// A legacy router Service without a Gateway.
    Legacy { namespace: String, name: String },
}

impl RowKey {
    pub fn name(&self) -> &str {
        match self {
            RowKey::Gateway { name, .. } | RowKey::Legacy { name, .. } => name,
        }
    }

    pub fn namespace(&self) -> &str {
        match self {
            RowKey::Gateway { namespace, .. } | RowKey::Legacy { namespace, .. } => namespace,
        }
    }

    /// The key of a gateway row.
    pub fn gateway(namespace: &str, name: &str) -> Self {
        RowKey::Gateway {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

/// What search and sort read of one row.
#[derive(Clone, Debug, PartialEq)]
pub struct RowFacts {
    pub key: RowKey,
    name: String,
    name_lower: String,
    project: String,
    project_lower: String,
    access_mode: String,
    /// Desired replicas; legacy gateways have none (they sort first ascending).
    replicas: Option<i32>,
    /// RFC 3339 (`Z`), so that text order is time order; empty when unknown.
    created: String,
}

/// The project a gateway serves (from its scope).
pub fn project_of(g: &Gateway) -> String {
    g.scope()
        .map(|s| s.project().to_string())
        .unwrap_or_default()
}

/// True for the rows of this table: project gateways (not the cluster gateway).
pub fn is_project_gateway(g: &Gateway) -> bool {
    g.scope().is_some_and(|s| !s.is_cluster())
}

impl RowFacts {
    /// The facts of a project gateway; `None` for the cluster gateway or an unscoped one.
    pub fn of_gateway(g: &Gateway) -> Option<Self> {
        if !is_project_gateway(g) {
            return None;
        }
        Some(Self::new(
            RowKey::gateway(g.namespace(), g.name()),
            g.name(),
            project_of(g),
            g.service_type().unwrap_or("LoadBalancer"),
            Some(g.desired_replicas()),
            g.metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
                .unwrap_or_default(),
        ))
    }

    /// The facts of a legacy gateway.
    pub fn of_legacy(l: &LegacyGateway) -> Self {
        Self::new(
            RowKey::Legacy {
                namespace: l.namespace.clone(),
                name: l.name.clone(),
            },
            &l.name,
            l.project.clone(),
            &l.service_type,
            None,
            l.created.clone().unwrap_or_default(),
        )
    }

    fn new(
        key: RowKey,
        name: &str,
        project: String,
        access_mode: &str,
        replicas: Option<i32>,
        created: String,
    ) -> Self {
        RowFacts {
            key,
            name_lower: name.to_lowercase(),
            name: name.to_string(),
            project_lower: project.to_lowercase(),
            project,
            access_mode: access_mode.to_string(),
            replicas,
            created,
        }
    }

    /// True when the lowercased, trimmed `query` is empty or part of the name or project.
    fn matches(&self, query: &str) -> bool {
        query.is_empty() || self.name_lower.contains(query) || self.project_lower.contains(query)
    }
}

/// The rows of the table: every project gateway, then every legacy gateway.
pub fn table_rows<'a>(
    gateways: impl Iterator<Item = &'a Gateway>,
    legacy: &[LegacyGateway],
) -> Vec<RowFacts> {
    gateways
        .filter_map(RowFacts::of_gateway)
        .chain(legacy.iter().map(RowFacts::of_legacy))
        .collect()
}

/// Filters rows by a case-insensitive substring of name or project, sorts them (name, then
/// key, break ties, so the order is total), and returns the keys of page `page` (0-based,
/// clamped to the last page) with the number of matches.
pub fn select_page(
    rows: &[RowFacts],
    query: &str,
    sort: Sort,
    page: usize,
    page_size: usize,
) -> (Vec<RowKey>, usize) {
    let q = query.trim().to_lowercase();
    let mut hits: Vec<&RowFacts> = rows.iter().filter(|r| r.matches(&q)).collect();
    hits.sort_by(|a, b| {
        let order = match sort.key {
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Project => a.project.cmp(&b.project),
            SortKey::AccessMode => a.access_mode.cmp(&b.access_mode),
            SortKey::Replicas => a.replicas.cmp(&b.replicas),
            SortKey::Created => a.created.cmp(&b.created),
        };
        let order = if sort.ascending {
            order
        } else {
            order.reverse()
        };
        order
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.key.cmp(&b.key))
    });
    let total = hits.len();
    let page_size = page_size.max(1);
    let pages = total.div_ceil(page_size).max(1);
    let page = page.min(pages - 1);
    let keys = hits
        .into_iter()
        .skip(page * page_size)
        .take(page_size)
        .map(|r| r.key.clone())
        .collect();
    (keys, total)
}

/// The number of pages for `total` rows (at least one).
pub fn page_count(total: usize, page_size: usize) -> usize {
    total.div_ceil(page_size.max(1)).max(1)
}

/// Which of the `selected` gateways may stay selected: those that still exist and are not
/// being disabled already. A cancelled batch Disable keeps the selection; a successful one
/// empties it as the gateways go into Disabling.
pub fn still_selectable<'a>(
    selected: impl Iterator<Item = &'a RowKey>,
    lookup: impl Fn(&str, &str) -> Option<bool>,
) -> Vec<RowKey> {
    selected
        .filter(|k| match k {
            RowKey::Gateway { namespace, name } => lookup(namespace, name) == Some(false),
            RowKey::Legacy { .. } => false,
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::GatewaySpec;
    use crate::names::GatewayScope;

    fn gw(project: &str, minute: u32) -> Gateway {
        let scope = GatewayScope::for_project(project);
        let mut g = Gateway::new(
            &scope.gateway_name(),
            "kubesphere-controls-system",
            GatewaySpec::default(),
        );
        let created = format!("2026-01-01T00:{minute:02}:00Z");
        g.metadata.creation_timestamp = Some(serde_json::from_value(created.into()).unwrap());
        g
    }

    fn legacy(project: &str, minute: u32) -> LegacyGateway {
        LegacyGateway {
            project: project.into(),
            name: format!("kubesphere-router-{project}"),
            namespace: "kubesphere-controls-system".into(),
            service_type: "NodePort".into(),
            annotations: Default::default(),
            tracing: false,
            created: Some(format!("2026-01-01T00:{minute:02}:30Z")),
        }
    }

    #[test]
    fn filters_sorts_and_pages() {
        let all: Vec<Gateway> = (0..45).map(|i| gw(&format!("p{i:02}"), i)).collect();
        let rows = table_rows(all.iter(), &[]);
        let (keys, total) = select_page(&rows, "", Sort::default(), 0, 20);
        assert_eq!(total, 45);
        assert_eq!(keys.len(), 20);
        assert_eq!(keys[0].name(), "kubesphere-router-p44", "newest first");
        let (keys, _) = select_page(&rows, "", Sort::default(), 2, 20);
        assert_eq!(keys.len(), 5);
        // out-of-range pages clamp to the last one
        let (keys, _) = select_page(&rows, "", Sort::default(), 99, 20);
        assert_eq!(keys.len(), 5);
        let by_name = Sort {
            key: SortKey::Name,
            ascending: true,
        };
        let (keys, _) = select_page(&rows, "", by_name, 0, 20);
        assert_eq!(keys[0].name(), "kubesphere-router-p00");
        let (keys, total) = select_page(&rows, " P1", by_name, 0, 20);
        assert_eq!(total, 10);
        assert!(keys.iter().all(|k| k.name().contains("p1")));
        let (keys, total) = select_page(&rows, "nothing", by_name, 0, 20);
        assert_eq!((keys.len(), total), (0, 0));
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(45, 20), 3);
    }

    #[test]
    fn legacy_rows_are_counted_sorted_and_paged_like_the_others() {
        let gateways: Vec<Gateway> = (0..25).map(|i| gw(&format!("p{i:02}"), i)).collect();
        // a legacy gateway created between p09 and p10, and one from the first minute
        let legacy = [legacy("old", 9), legacy("older", 0)];
        let rows = table_rows(gateways.iter(), &legacy);
        assert_eq!(rows.len(), 27);
        let (first, total) = select_page(&rows, "", Sort::default(), 0, 20);
        assert_eq!(total, 27);
        // newest first: p24 … p10, then old (00:09:30), then p09 …
        let position = first
            .iter()
            .position(|k| k.name() == "kubesphere-router-old");
        assert_eq!(position, Some(15));
        assert!(matches!(first[15], RowKey::Legacy { .. }));
        let (second, _) = select_page(&rows, "", Sort::default(), 1, 20);
        assert_eq!(second.len(), 7, "legacy rows do not repeat on every page");
        assert_eq!(
            second
                .iter()
                .filter(|k| matches!(k, RowKey::Legacy { .. }))
                .count(),
            1,
            "one legacy gateway on the second page"
        );
        // 00:00:30: after p01 (00:01:00), before p00 (00:00:00)
        assert_eq!(second[5].name(), "kubesphere-router-older");
        assert_eq!(second[6].name(), "kubesphere-router-p00");
        // search finds legacy rows by project
        let (hits, total) = select_page(&rows, "OLDER", Sort::default(), 0, 20);
        assert_eq!((hits.len(), total), (1, 1));
        // legacy gateways have no replicas: first when ascending
        let by_replicas = Sort {
            key: SortKey::Replicas,
            ascending: true,
        };
        let (keys, _) = select_page(&rows, "", by_replicas, 0, 20);
        assert!(matches!(keys[0], RowKey::Legacy { .. }));
        assert!(matches!(keys[1], RowKey::Legacy { .. }));
        // only legacy gateways: the table is not empty
        let (keys, total) =
            select_page(&table_rows([].iter(), &legacy), "", Sort::default(), 0, 20);
        assert_eq!((keys.len(), total), (2, 2));
    }

    #[test]
    fn the_cluster_gateway_is_not_a_row() {
        let mut cluster = gw("x", 1);
        cluster.metadata.name = Some(GatewayScope::Cluster.gateway_name());
        assert!(RowFacts::of_gateway(&cluster).is_none());
    }

    #[test]
    fn selection_keeps_existing_gateways_that_are_not_disabling() {
        let a = RowKey::gateway("ns", "a");
        let b = RowKey::gateway("ns", "b");
        let c = RowKey::gateway("ns", "c");
        let l = RowKey::Legacy {
            namespace: "ns".into(),
            name: "l".into(),
        };
        let selected = [a.clone(), b.clone(), c.clone(), l];
        // a exists, b is disabling, c is gone
        let kept = still_selectable(selected.iter(), |_, name| match name {
            "a" => Some(false),
            "b" => Some(true),
            _ => None,
        });
        assert_eq!(kept, vec![a]);
    }
}
