//! `--log-lines` and `--log-rate`: a backdated controller log of N access lines, streamed, and a
//! followed log growing at a fixed rate (the Logs tab's benchmark, e2e/bench-logs.mjs).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use devcluster::Options;

const CS: &str = "kubesphere-controls-system";

struct Cluster {
    addr: String,
    _rt: tokio::runtime::Runtime,
}

fn start(log_lines: Option<u64>, log_rate: Option<f64>) -> Cluster {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let opts = Options {
        scenario: "nodeport".into(),
        pace: 0.05,
        log_lines,
        log_rate,
        ..Options::default()
    };
    let addr = rt.block_on(async {
        let cluster = devcluster::build(&opts).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(devcluster::serve(cluster, listener, std::future::pending()));
        addr.to_string()
    });
    Cluster { addr, _rt: rt }
}

impl Cluster {
    fn connect(&self, path: &str) -> TcpStream {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        // HTTP/1.0: the body is not chunked and ends with the connection
        write!(s, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        s
    }

    /// GETs `path`; returns (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        let mut buf = Vec::new();
        self.connect(path).read_to_end(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, body.to_string())
    }

    fn first_controller_pod(&self) -> String {
        let (status, body) = self.get(&format!(
            "/api/v1/namespaces/{CS}/pods?labelSelector=app.kubernetes.io%2Fname%3Dingress-nginx"
        ));
        assert_eq!(status, 200, "{body}");
        let list: serde_json::Value = serde_json::from_str(&body).unwrap();
        let mut names: Vec<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names.into_iter().next().expect("a controller pod")
    }
}

/// Timestamps of `kubectl logs --timestamps` lines: strictly increasing (ordered, unique).
fn assert_ordered(text: &str) -> Vec<jiff::Timestamp> {
    let mut out: Vec<jiff::Timestamp> = Vec::new();
    for line in text.lines() {
        let (ts, _) = line.split_once(' ').unwrap_or_else(|| panic!("{line:?}"));
        let t: jiff::Timestamp = ts.parse().unwrap_or_else(|e| panic!("{ts}: {e}"));
        if let Some(prev) = out.last() {
            assert!(t > *prev, "not after {prev}: {line}");
        }
        out.push(t);
    }
    out
}

fn access_lines(text: &str) -> usize {
    text.lines()
        .filter(|l| {
            let rest = l.split_once(' ').map_or(*l, |(_, r)| r);
            gateway_model::access_log::parse_access(rest).is_some()
        })
        .count()
}

#[test]
fn log_lines_backdate_a_long_history_and_stream_it() {
    const N: u64 = 100_000;
    let c = start(Some(N), None);
    let pod = c.first_controller_pod();
    let log =
        format!("/api/v1/namespaces/{CS}/pods/{pod}/log?container=controller&timestamps=true");

    // the whole retained log: at least N access lines, backdated beyond the default 6 h
    let began = Instant::now();
    let (status, all) = c.get(&log);
    let took = began.elapsed();
    assert_eq!(status, 200, "{all}");
    let times = assert_ordered(&all);
    let access = access_lines(&all);
    assert!(access as u64 >= N, "{access} access lines");
    // nothing but traffic: the start-up banner is long rotated away
    assert!(!all.contains("NGINX Ingress controller"));
    assert!(
        all.lines().all(|l| l.contains("HTTP/1.1")),
        "only access and [error] lines"
    );
    let span = times.last().unwrap().as_second() - times[0].as_second();
    assert!(span > 6 * 3600, "history spans {span} s");
    let per_line = all.len() / times.len();
    assert!((150..300).contains(&per_line), "{per_line} bytes per line");
    eprintln!(
        "{} lines, {} access, {} bytes in {took:?}",
        times.len(),
        access,
        all.len()
    );

    // tailLines: exactly that many lines, the newest ones
    let (_, tail) = c.get(&format!("{log}&tailLines={N}"));
    assert_eq!(tail.lines().count() as u64, N);
    assert_ordered(&tail);
    let (_, short) = c.get(&format!("{log}&tailLines=500"));
    assert_eq!(short.lines().count(), 500);
    // the same lines (rotation may have moved on by a second in between)
    let first = short.lines().next().unwrap();
    let at = tail
        .find(&format!("{first}\n"))
        .expect("the short tail lies in the long one");
    assert!(short.starts_with(&tail[at..at + 1000]));
    assert!(tail.len() - at >= short.len() - 300 * 200);

    // without timestamps, and with limitBytes (cut at a line's middle, as the kubelet does)
    let (_, plain) = c.get(&format!(
        "/api/v1/namespaces/{CS}/pods/{pod}/log?container=controller&tailLines=3"
    ));
    assert_eq!(plain.lines().count(), 3);
    assert!(gateway_model::access_log::parse_access(plain.lines().last().unwrap()).is_some());
    let (_, limited) = c.get(&format!("{log}&tailLines={N}&limitBytes=100000"));
    assert_eq!(limited.len(), 100_000);
    let whole = &limited[..limited.rfind('\n').unwrap() + 1];
    assert!(whole.len() > 99_000);
    assert_ordered(whole);
    assert!(tail.contains(whole.lines().nth(1).unwrap()));
    // sinceSeconds still bounds it
    let (_, recent) = c.get(&format!("{log}&sinceSeconds=60"));
    let t = assert_ordered(&recent);
    assert!(t.is_empty() || jiff::Timestamp::now().as_second() - t[0].as_second() <= 61);
}

#[test]
fn log_rate_makes_a_followed_log_grow_that_fast() {
    let c = start(None, Some(2000.0));
    let pod = c.first_controller_pod();
    let mut s = c.connect(&format!(
        "/api/v1/namespaces/{CS}/pods/{pod}/log?container=controller&timestamps=true&follow=true&tailLines=0"
    ));
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let began = Instant::now();
    while began.elapsed() < Duration::from_millis(3200) {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("{e}"),
        }
    }
    let text = String::from_utf8(buf).unwrap();
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    let body = &body[..body.rfind('\n').map_or(0, |i| i + 1)];
    assert_ordered(body);
    // each second: 2,000 requests (plus an [error] line per 502/504), sent whole; the last one
    // read may be cut by the read's end
    let mut per_second: Vec<(String, usize)> = Vec::new();
    for line in body.lines() {
        let second = line[..19].to_string();
        let access = access_lines(line);
        match per_second.last_mut() {
            Some((s, n)) if *s == second => *n += access,
            _ => per_second.push((second, access)),
        }
    }
    assert!(per_second.len() >= 3, "{per_second:?}");
    for (second, n) in &per_second[..per_second.len() - 1] {
        assert_eq!(*n, 2000, "{second}");
    }
}
