//! The service's limits: every one has a safe default and a CLI flag.

use std::time::Duration;

/// What the service accepts and how much work it takes on at once.
///
/// A request over a size limit is refused (413); a time limit over its cap
/// is refused (422, `time_limit_too_long`), never clamped silently; a full
/// queue refuses new work (503, `queue_full`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest request body, bytes (`--max-body-bytes`, default 8 MiB).
    pub max_body_bytes: usize,
    /// Most towns in one problem (`--max-towns`, default 2,000).
    pub max_towns: usize,
    /// Most vehicles in one problem: the stated counts of all vehicle types
    /// plus one per type (`--max-vehicles`, default 1,000). A type without a
    /// count (unlimited) counts one.
    pub max_vehicles: usize,
    /// Most depots in one problem (`--max-depots`, default 100).
    pub max_depots: usize,
    /// Solves running at once, each on a worker thread of its own
    /// (`--max-running`, default 1).
    pub max_running: usize,
    /// Accepted solves waiting for a worker, synchronous ones included
    /// (`--queue`, default 16); past it new work gets 503 `queue_full`.
    pub max_queue: usize,
    /// Longest time limit of an asynchronous job (`--max-time-limit`,
    /// default 300 s); a job asking for no time limit gets this one.
    pub max_time_limit: Duration,
    /// Longest time limit of a synchronous `POST /v1/solve`
    /// (`--max-sync-time-limit`, default 30 s); a request asking for no
    /// time limit gets this one.
    pub max_sync_time_limit: Duration,
    /// Most solver threads one solve may ask for (`--max-threads`, default:
    /// the machine's cores); a request without `threads` uses this many.
    pub max_threads: usize,
    /// How long a finished job (done, failed, cancelled) is kept before it
    /// expires and its id answers 404 (`--job-ttl`, default 3,600 s).
    pub job_ttl: Duration,
    /// Most finished jobs kept; past it the oldest expire early
    /// (`--max-finished-jobs`, default 1,000).
    pub max_finished_jobs: usize,
    /// Solve requests whose bodies are read and parsed at once
    /// (`--max-uploads`, default 16): with the body limit, this bounds the
    /// memory taken by requests not yet queued. A request waits for a place
    /// at most [`Limits::body_timeout`], then gets 503 `busy`.
    pub max_uploads: usize,
    /// Longest wait for a request's body, from its headers on (slow clients
    /// get 408 `body_timeout`; `--body-timeout`, default 30 s).
    pub body_timeout: Duration,
    /// Connections open at once (`--max-connections`, default 256); past it
    /// new connections wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// Longest wait for a request's headers, on a new connection or an idle
    /// kept-alive one (`--header-timeout`, default 10 s); a client that
    /// does not send them in time is disconnected, so slow or idle clients
    /// cannot hold [`Limits::max_connections`] for ever.
    pub header_timeout: Duration,
    /// On SIGINT / SIGTERM: how long running solves (cancelled at once) and
    /// open requests are waited for before the process exits anyway
    /// (`--shutdown-grace`, default 10 s).
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 << 20,
            max_towns: 2_000,
            max_vehicles: 1_000,
            max_depots: 100,
            max_running: 1,
            max_queue: 16,
            max_time_limit: Duration::from_secs(300),
            max_sync_time_limit: Duration::from_secs(30),
            max_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            job_ttl: Duration::from_secs(3_600),
            max_finished_jobs: 1_000,
            max_uploads: 16,
            body_timeout: Duration::from_secs(30),
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl Limits {
    /// Refuses unusable limits (zero workers, threads, queue places or
    /// body size) with a message naming the setting.
    pub fn check(&self) -> Result<(), String> {
        let zero = [
            ("max_running", self.max_running),
            ("max_threads", self.max_threads),
            ("max_body_bytes", self.max_body_bytes),
            ("max_towns", self.max_towns),
            ("max_vehicles", self.max_vehicles),
            ("max_depots", self.max_depots),
            ("max_queue", self.max_queue),
            ("max_uploads", self.max_uploads),
            ("max_connections", self.max_connections),
        ];
        if let Some((name, _)) = zero.iter().find(|(_, v)| *v == 0) {
            return Err(format!("{name} must be at least 1"));
        }
        if self.max_threads > crate::solver::MAX_THREADS {
            return Err(format!("max_threads must be at most {}", crate::solver::MAX_THREADS));
        }
        if self.header_timeout.is_zero() {
            return Err("header_timeout must be positive".into());
        }
        if self.max_running > 1024 {
            return Err("max_running must be at most 1024".into());
        }
        Ok(())
    }
}
