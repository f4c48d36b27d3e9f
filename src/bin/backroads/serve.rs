//! `backroads serve` (its flags, the service until SIGINT or SIGTERM) and
//! `backroads serve-worker` (one solve in a process of its own).

use crate::failure::Failure;
use crate::options::{parse_seconds, parse_threads};
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

/// `backroads serve` flags: the address and the limits (see `backroads::serve::Limits`).
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0: any free port, printed on start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Largest request body, bytes.
    #[arg(long, value_name = "BYTES", default_value_t = backroads::serve::Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Most towns in one problem.
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_towns)]
    max_towns: usize,
    /// Most vehicles in one problem (stated counts plus one per vehicle type).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_vehicles)]
    max_vehicles: usize,
    /// Most depots in one problem.
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_depots)]
    max_depots: usize,
    /// Solves running at once (one worker thread each).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_running)]
    max_running: usize,
    /// Accepted solves waiting for a worker; past it new work is refused with 503 queue_full.
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_queue)]
    queue: usize,
    /// Longest time limit of a job, seconds (the budget of jobs that give none); more is refused (422).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 300.0)]
    max_time_limit: f64,
    /// Longest time limit of POST /v1/solve, seconds (the budget of requests that give none).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 30.0)]
    max_sync_time_limit: f64,
    /// Most solver threads per solve (default: one per core; the default of requests).
    #[arg(long, value_parser = parse_threads)]
    max_threads: Option<usize>,
    /// Seconds a finished job is kept; then its id answers 404.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 3600.0)]
    job_ttl: f64,
    /// Most finished jobs kept (the oldest expire first).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_finished_jobs)]
    max_finished_jobs: usize,
    /// Solve requests whose bodies are read and parsed at once (more wait up to --body-timeout,
    /// then 503 busy).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_uploads)]
    max_uploads: usize,
    /// Longest wait for a request's body, seconds (slower: 408 body_timeout).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 30.0)]
    body_timeout: f64,
    /// Connections open at once (more wait in the listen backlog).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_connections)]
    max_connections: usize,
    /// Longest wait for a request's headers, seconds (new or idle kept-alive connections;
    /// slower clients are disconnected).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 10.0)]
    header_timeout: f64,
    /// On SIGINT/SIGTERM, seconds to wait for running solves and open requests.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 10.0)]
    shutdown_grace: f64,
    /// Largest memory of one solve, MiB: each solve runs in a process of its own, whose
    /// allocations beyond this fail and end that solve only (422 solve_aborted). 0: no limit.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    max_solve_memory_mb: u64,
    /// Run solves on threads of the service's own process instead (no process per solve:
    /// a solve that runs out of memory then ends the service).
    #[arg(long)]
    in_process: bool,
}

/// `backroads serve`: runs until SIGINT or SIGTERM.
pub(crate) fn run(args: ServeArgs) -> Result<ExitCode, Failure> {
    let defaults = backroads::serve::Limits::default();
    let config = backroads::serve::ServeConfig {
        addr: args.addr,
        limits: backroads::serve::Limits {
            max_body_bytes: args.max_body_bytes,
            max_towns: args.max_towns,
            max_vehicles: args.max_vehicles,
            max_depots: args.max_depots,
            max_running: args.max_running,
            max_queue: args.queue,
            max_time_limit: Duration::from_secs_f64(args.max_time_limit),
            max_sync_time_limit: Duration::from_secs_f64(args.max_sync_time_limit),
            max_threads: args.max_threads.unwrap_or(defaults.max_threads),
            job_ttl: Duration::from_secs_f64(args.job_ttl),
            max_finished_jobs: args.max_finished_jobs,
            max_uploads: args.max_uploads,
            body_timeout: Duration::from_secs_f64(args.body_timeout),
            max_connections: args.max_connections,
            header_timeout: Duration::from_secs_f64(args.header_timeout),
            shutdown_grace: Duration::from_secs_f64(args.shutdown_grace),
        },
        isolation: if args.in_process {
            backroads::serve::Isolation::InProcess
        } else {
            let program = std::env::current_exe()
                .map_err(|e| format!("cannot find this program to run solves in processes of their own: {e}"))?;
            backroads::serve::Isolation::Process(backroads::serve::WorkerProgram {
                program,
                args: vec!["serve-worker".into()],
                max_memory_bytes: (args.max_solve_memory_mb > 0)
                    .then(|| args.max_solve_memory_mb.saturating_mul(1 << 20)),
            })
        },
    };
    config.limits.check().map_err(Failure::Usage)?;
    backroads::serve::run(&config, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    })
    .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// `backroads serve-worker`: exit 0 when the solve answered, 1 when not.
pub(crate) fn run_worker() -> Result<ExitCode, Failure> {
    Ok(
        match backroads::serve::run_worker(std::io::stdin(), std::io::stdout()) {
            0 => ExitCode::SUCCESS,
            _ => ExitCode::FAILURE,
        },
    )
}
