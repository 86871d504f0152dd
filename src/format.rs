//! Formatting of cluster values for display (times, ages).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

/// `YYYY-MM-DD HH:MM:SS` in UTC (KubeSphere shows local time; UTC is unambiguous for SREs
/// comparing with kubectl and logs).
pub fn timestamp(time: Option<&Time>) -> Option<String> {
    let ts = time?.0;
    Some(ts.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
}

/// `YYYY-MM-DD HH:MM` in UTC, for table cells (the full time goes in the tooltip).
pub fn short_timestamp(time: Option<&Time>) -> Option<String> {
    let ts = time?.0;
    Some(ts.strftime("%Y-%m-%d %H:%M").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t: Time = serde_json::from_str("\"2026-11-23T08:05:09Z\"").unwrap();
        assert_eq!(
            timestamp(Some(&t)).as_deref(),
            Some("2026-11-23 08:05:09 UTC")
        );
        assert_eq!(timestamp(None), None);
        assert_eq!(
            short_timestamp(Some(&t)).as_deref(),
            Some("2026-11-23 08:05")
        );
    }
}
