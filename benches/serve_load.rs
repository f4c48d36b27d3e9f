//! Load on `backroads serve`: a server process on 127.0.0.1 (loopback
//! only, any free port), concurrent clients each POSTing a small problem to
//! `/v1/solve?iterations=200&threads=1`. Reports whether every request was
//! answered (a 200, or an explicit refusal such as 503 `queue_full`) and
//! none lost (no answer at all: exit status 1), the latency percentiles of
//! the 200s and their throughput, as a Markdown table.
//!
//! `cargo bench --bench serve_load -- [--requests N] [--concurrency C]
//! [--max-running R] [--queue Q] [--in-process]` (defaults 32, 8, 2, 64;
//! each solve in its own worker process unless `--in-process`, as `serve`).
//! Bounded in count and in time: whatever happens, it stops after 120 s.

#[path = "../tests/common/http.rs"]
mod http;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_backroads");
const WALL: Duration = Duration::from_secs(120);

/// One request's fate.
enum Fate {
    /// 200, with its latency.
    Answered(Duration),
    /// Another status (503 queue_full, ...).
    Refused(u16),
    /// No HTTP answer at all (I/O error or timeout).
    Lost(String),
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    // `cargo bench` adds `--bench`; other unknown arguments are ignored too.
    let args: Vec<String> = std::env::args().collect();
    let requests = arg(&args, "--requests", 32).max(1);
    let concurrency = arg(&args, "--concurrency", 8).clamp(1, 256);
    let max_running = arg(&args, "--max-running", 2).max(1);
    let queue = arg(&args, "--queue", 64);
    let body = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/small.json"))
        .expect("examples/data/small.json");

    let (max_running, queue) = (max_running.to_string(), queue.to_string());
    let mut flags = vec!["--max-running", &max_running, "--queue", &queue, "--max-threads", "1"];
    if args.iter().any(|a| a == "--in-process") {
        flags.push("--in-process");
    }
    let server = http::Server::start(BIN, &flags);
    let addr = server.addr.clone();
    let start = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let fates = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let clients: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, fates, addr, body) = (Arc::clone(&next), Arc::clone(&fates), addr.clone(), body.clone());
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let left = WALL.saturating_sub(start.elapsed());
                    if left.is_zero() {
                        fates.lock().unwrap().push(Fate::Lost("not sent: 120 s over".into()));
                        continue;
                    }
                    let t = Instant::now();
                    let fate = match http::request_timeout(
                        &addr,
                        "POST",
                        "/v1/solve?iterations=200&threads=1",
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                        left,
                    ) {
                        Ok(r) if r.status == 200 => Fate::Answered(t.elapsed()),
                        Ok(r) => Fate::Refused(r.status),
                        Err(e) => Fate::Lost(e.to_string()),
                    };
                    fates.lock().unwrap().push(fate);
                }
            })
        })
        .collect();
    // Wait for the clients, but never past the wall-clock bound.
    while !clients.iter().all(|c| c.is_finished()) && start.elapsed() < WALL + Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = start.elapsed();
    let fates = std::mem::take(&mut *fates.lock().unwrap());
    let mut latencies: Vec<Duration> = fates
        .iter()
        .filter_map(|f| match f {
            Fate::Answered(d) => Some(*d),
            _ => None,
        })
        .collect();
    latencies.sort();
    let refused: Vec<u16> = fates
        .iter()
        .filter_map(|f| match f {
            Fate::Refused(s) => Some(*s),
            _ => None,
        })
        .collect();
    let lost: Vec<&str> = fates
        .iter()
        .filter_map(|f| match f {
            Fate::Lost(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    // Requests that never got a fate (clients still blocked at the bound) are lost too.
    let unaccounted = requests - fates.len().min(requests);
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1e3);
    println!(
        "| requests | concurrency | server workers | answered 200 | refused | lost | p50 ms | p99 ms | max ms | throughput req/s | wall s |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {requests} | {concurrency} | {max_running} | {} | {} | {} | {} | {} | {} | {:.1} | {:.2} |",
        latencies.len(),
        refused.len(),
        lost.len() + unaccounted,
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default()),
        latencies.len() as f64 / wall.as_secs_f64().max(1e-9),
        wall.as_secs_f64()
    );
    let lost_total = lost.len() + unaccounted;
    let mut by_status: Vec<(u16, usize)> = Vec::new();
    for &st in &refused {
        match by_status.iter_mut().find(|(s, _)| *s == st) {
            Some((_, n)) => *n += 1,
            None => by_status.push((st, 1)),
        }
    }
    let refusals: Vec<String> = by_status.iter().map(|(s, n)| format!("{n} × {s}")).collect();
    println!(
        "\n{}{}",
        if lost_total == 0 {
            "all answered, none lost".to_string()
        } else {
            format!(
                "{lost_total} LOST{}",
                lost.first().map(|e| format!(" (first: {e})")).unwrap_or_default()
            )
        },
        if refusals.is_empty() {
            String::new()
        } else {
            format!(" ({} refused explicitly: {})", refused.len(), refusals.join(", "))
        }
    );
    drop(server);
    if lost_total > 0 {
        std::process::exit(1);
    }
}
