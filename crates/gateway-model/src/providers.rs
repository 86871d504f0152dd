//! Load balancer provider catalogue of the Enable/Edit dialog (reference §5.1).
//!
//! The *stored value* (metadata annotation `kubesphere.io/annotations`) keeps KubeSphere's spelling
//! for compatibility, including the typo `Aure Kubernetes Service`; the *label* is what the UI shows.
//! Suggested keys are clean (KubeSphere's source has stray trailing TABs on some of them).

use crate::gateway::StringMap;

/// One load balancer provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Name shown in the UI.
    pub label: &'static str,
    /// Value stored in `kubesphere.io/annotations`.
    pub value: &'static str,
    /// Icon name used by KubeSphere's console (`aliyun`, `windows`, `aws`, …).
    pub icon: &'static str,
    /// Service annotation keys offered by the key autocomplete.
    pub suggested_keys: &'static [&'static str],
    /// Annotations pre-filled when the provider is chosen (only QingCloud has any).
    pub defaults: &'static [(&'static str, &'static str)],
}

impl Provider {
    /// Pre-filled annotations as a map.
    pub fn default_annotations(&self) -> StringMap {
        self.defaults
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

/// Stored value of the QingCloud provider (the console's default for LoadBalancer).
pub const QINGCLOUD: &str = "QingCloud Kubernetes Engine";

const ALIBABA_KEYS: &[&str] = &[
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-charge-type",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-master-zoneid",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-slave-zoneid",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-bandwidth",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-vswitch-id",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-additional-resource-tags",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-ip-version",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-delete-protection",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-modification-protection",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-resource-group-id",
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-name",
];

const AZURE_KEYS: &[&str] = &[
    "service.beta.kubernetes.io/azure-load-balancer-internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal-subnet",
    "service.beta.kubernetes.io/azure-dns-label-name",
    "service.beta.kubernetes.io/azure-shared-securityrule",
    "service.beta.kubernetes.io/azure-load-balancer-resource-group",
    "service.beta.kubernetes.io/azure-allowed-service-tags",
    "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout",
    "service.beta.kubernetes.io/azure-load-balancer-disable-tcp-reset",
];

const HUAWEI_KEYS: &[&str] = &[
    "kubernetes.io/elb.class",
    "kubernetes.io/session-affinity-mode",
    "kubernetes.io/elb.id",
    "kubernetes.io/elb.subnet-id",
];

const AWS_KEYS: &[&str] = &[
    "service.beta.kubernetes.io/load-balancer-source-ranges",
    "service.beta.kubernetes.io/aws-load-balancer-type",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type",
    "service.beta.kubernetes.io/aws-load-balancer-name",
    "service.beta.kubernetes.io/aws-load-balancer-internal",
    "service.beta.kubernetes.io/aws-load-balancer-scheme",
    "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol",
    "service.beta.kubernetes.io/aws-load-balancer-ip-address-type",
    "service.beta.kubernetes.io/aws-load-balancer-access-log-enabled",
    "service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-name",
    "service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-prefix",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-cert",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-ports",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy",
    "service.beta.kubernetes.io/aws-load-balancer-backend-protocol",
    "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path",
    "service.beta.kubernetes.io/aws-load-balancer-eip-allocations",
    "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses",
    "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes",
    "service.beta.kubernetes.io/aws-load-balancer-subnets",
    "service.beta.kubernetes.io/aws-load-balancer-alpn-policy",
    "service.beta.kubernetes.io/aws-load-balancer-target-node-labels",
];

const GOOGLE_KEYS: &[&str] = &["cloud.google.com/network-tier"];

const QINGCLOUD_KEYS: &[&str] = &[
    "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids",
    "service.beta.kubernetes.io/qingcloud-load-balancer-type",
];

const QINGCLOUD_DEFAULTS: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids",
        "",
    ),
    (
        "service.beta.kubernetes.io/qingcloud-load-balancer-type",
        "0",
    ),
];

const TENCENT_KEYS: &[&str] = &[
    "service.kubernetes.io/loadbalance-id",
    "service.kubernetes.io/qcloud-loadbalancer-internal-subnetid",
    "service.kubernetes.io/tke-existed-lbid",
    "service.kubernetes.io/local-svc-only-bind-node-with-pod",
    "service.cloud.tencent.com/local-svc-weighted-balance",
    "service.kubernetes.io/qcloud-loadbalancer-backends-label",
    "service.cloud.tencent.com/direct-access",
    "service.cloud.tencent.com/tke-service-config",
    "service.cloud.tencent.com/tke-service-config-auto",
    "service.kubernetes.io/loadbalance-nat-ipv6",
    "service.kubernetes.io/loadbalance-type",
    "service.cloud.tencent.com/specify-protocol",
    "service.kubernetes.io/service.extensiveParameters",
    "service.cloud.tencent.com/enable-grace-shutdown",
    "kubernetes.io/service.internetChargeType",
    "kubernetes.io/service.internetMaxBandwidthOut",
];

const OPENELB_KEYS: &[&str] = &[
    "lb.kubesphere.io/v1alpha1",
    "protocol.openelb.kubesphere.io/v1alpha1",
    "eip.openelb.kubesphere.io/v1alpha2",
];

/// All providers, in the dialog's order (KubeSphere's `CLUSTER_PROVIDERS` + OpenELB).
pub static PROVIDERS: [Provider; 8] = [
    Provider {
        label: "Alibaba Cloud ACK",
        value: "Aliyun ACK",
        icon: "aliyun",
        suggested_keys: ALIBABA_KEYS,
        defaults: &[],
    },
    Provider {
        label: "Azure Kubernetes Service",
        value: "Aure Kubernetes Service",
        icon: "windows",
        suggested_keys: AZURE_KEYS,
        defaults: &[],
    },
    Provider {
        label: "Huawei Cloud CCE",
        value: "Huawei Cloud CCE",
        icon: "kubernetes",
        suggested_keys: HUAWEI_KEYS,
        defaults: &[],
    },
    Provider {
        label: "Amazon EKS",
        value: "Amazon EKS",
        icon: "aws",
        suggested_keys: AWS_KEYS,
        defaults: &[],
    },
    Provider {
        label: "Google Kubernetes Engine",
        value: "Google Kubernetes Engine",
        icon: "google-plus",
        suggested_keys: GOOGLE_KEYS,
        defaults: &[],
    },
    Provider {
        label: "QingCloud Kubernetes Engine",
        value: QINGCLOUD,
        icon: "qingcloud",
        suggested_keys: QINGCLOUD_KEYS,
        defaults: QINGCLOUD_DEFAULTS,
    },
    Provider {
        label: "Tencent Kubernetes Engine",
        value: "Tencent Kubernetes Engine",
        icon: "kubernetes",
        suggested_keys: TENCENT_KEYS,
        defaults: &[],
    },
    Provider {
        label: "OpenELB",
        value: "OpenELB",
        icon: "kubernetes",
        suggested_keys: OPENELB_KEYS,
        defaults: &[],
    },
];

/// Finds a provider by stored value. Surrounding whitespace is ignored, and the correctly spelled
/// `Azure Kubernetes Service` (written by other tools) is accepted as an alias of the stored typo.
pub fn provider_by_value(value: &str) -> Option<&'static Provider> {
    let value = value.trim();
    let value = if value == "Azure Kubernetes Service" {
        "Aure Kubernetes Service"
    } else {
        value
    };
    PROVIDERS.iter().find(|p| p.value == value)
}

/// The label to show for a stored value: the catalogue label, or the raw value for unknown ones.
pub fn provider_label(value: &str) -> &str {
    provider_by_value(value).map_or(value, |p| p.label)
}

/// The QingCloud provider.
pub fn qingcloud() -> &'static Provider {
    provider_by_value(QINGCLOUD).unwrap_or(&PROVIDERS[5])
}

/// Suggested annotation keys for a stored provider value (empty for none/unknown).
pub fn suggested_keys(value: Option<&str>) -> &'static [&'static str] {
    value
        .and_then(provider_by_value)
        .map_or(&[], |p| p.suggested_keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::validate_qualified_name;

    #[test]
    fn lookup_and_labels() {
        assert_eq!(
            provider_by_value("Aure Kubernetes Service").unwrap().label,
            "Azure Kubernetes Service"
        );
        assert_eq!(
            provider_by_value("Azure Kubernetes Service").unwrap().value,
            "Aure Kubernetes Service"
        );
        assert_eq!(provider_by_value(" OpenELB\t").unwrap().label, "OpenELB");
        assert!(provider_by_value("").is_none());
        assert_eq!(provider_label("Aliyun ACK"), "Alibaba Cloud ACK");
        assert_eq!(provider_label("Custom LB"), "Custom LB");
        assert_eq!(qingcloud().default_annotations().len(), 2);
        assert_eq!(suggested_keys(Some("Amazon EKS")).len(), 30);
        assert!(suggested_keys(None).is_empty());
    }

    #[test]
    fn catalogue_is_clean() {
        for p in &PROVIDERS {
            assert!(!p.label.is_empty() && p.value.trim() == p.value);
            for key in p
                .suggested_keys
                .iter()
                .chain(p.defaults.iter().map(|(k, _)| k))
            {
                assert!(!key.contains(char::is_whitespace), "{key:?}");
                assert_eq!(validate_qualified_name(key), Ok(()), "{key}");
            }
        }
        let values: std::collections::BTreeSet<_> = PROVIDERS.iter().map(|p| p.value).collect();
        assert_eq!(values.len(), PROVIDERS.len());
    }
}
