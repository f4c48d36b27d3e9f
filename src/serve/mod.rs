//! `backroads serve`: the solver as an HTTP service (axum on tokio; cargo
//! feature `serve`).
//!
//! | route | what |
//! |---|---|
//! | `POST /v1/solve` | solve and answer with the solution JSON (small problems) |
//! | `POST /v1/jobs` | queue a solve: `202 {"id", "status"}` |
//! | `GET /v1/jobs/{id}` | status and progress |
//! | `GET /v1/jobs/{id}/solution` | the solution: JSON, GeoJSON (`Accept: application/geo+json` or `?format=geojson`), CSV schedule (`Accept: text/csv` or `?format=csv`) |
//! | `DELETE /v1/jobs/{id}` | cancel (a running job keeps its best solution) |
//! | `POST /v1/eta` | plan mode: time routes given as sequences and list every rule they break ([`crate::EtaReport`]) |
//! | `POST /v1/fit` | where a new order fits into a plan: the cheapest places, or why there is none ([`crate::FitReport`]) |
//! | `GET /health`, `GET /openapi.json`, `GET /` | liveness, the OpenAPI document, a web page |
//!
//! The body of a solve is the JSON problem `backroads solve` reads
//! (`application/json`), inline only (a problem naming a file is refused
//! and the file never read), or a towns CSV (`text/csv`) completed by the
//! query parameters `depot_lon`, `depot_lat`, `capacity`, `vehicles`.
//! Solver options are query parameters ([`SolveParams`]). Every error is
//! JSON `{"error": {"code", "message"}}` ([`ErrorBody`]).
//!
//! Solves run on worker threads of their own ([`Limits::max_running`]),
//! never on the async runtime's; the queue is bounded ([`Limits`]). With
//! [`Isolation::Process`] each solve runs in a process of its own with a
//! memory cap, so that no single request can end the service.
//! SIGINT or SIGTERM stops the service: no new connections, queued jobs
//! cancelled, running solves stopped at their next step, then [`run`]
//! returns.

mod error;
mod eta;
mod fit;
mod handlers;
mod jobs;
mod limits;
mod openapi;
mod request;
mod solve;
mod worker;

pub use error::{ApiError, ErrorBody, ErrorDetail};
pub use handlers::{Health, JobCreated, SolutionFormat, SolutionParams};
pub use jobs::{JobProgress, JobState, JobStatus};
pub use limits::Limits;
pub use openapi::ApiDoc;
pub use request::{ObjectiveParam, SolveParams};
pub use solve::Summary;
pub use worker::{Isolation, WorkerProgram, run_worker};

use crate::error::{Error, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where the service listens and what it accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeConfig {
    /// Address to listen on (port 0: any free port; see `on_listening` of
    /// [`run`]).
    pub addr: SocketAddr,
    /// Limits.
    pub limits: Limits,
    /// Where solves run: in process (the default for a library), or each
    /// in a process of its own so that none can take the service down
    /// (what `backroads serve` does).
    pub isolation: Isolation,
}

impl Default for ServeConfig {
    /// `127.0.0.1:8080`, default limits.
    fn default() -> Self {
        ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            limits: Limits::default(),
            isolation: Isolation::InProcess,
        }
    }
}

fn failed(what: &str, e: std::io::Error) -> Error {
    Error::io(format!("<serve: {what}>"), e)
}

/// Runs the service until SIGINT or SIGTERM: binds `config.addr`, calls
/// `on_listening` with the bound address, serves, and on the signal shuts
/// down gracefully (see the module docs), waiting at most
/// [`Limits::shutdown_grace`] for open requests and running solves.
///
/// Errors: [`Error::InvalidConfig`] for unusable limits, [`Error::Io`]
/// when the address cannot be bound or the runtime not started.
pub fn run(config: &ServeConfig, on_listening: impl FnOnce(SocketAddr)) -> Result<()> {
    config.limits.check().map_err(Error::InvalidConfig)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("backroads-http")
        .enable_all()
        .build()
        .map_err(|e| failed("runtime", e))?;
    let (jobs, workers) = jobs::Jobs::start(config.limits.clone(), config.isolation.clone())?;
    let served = runtime.block_on(serve(config, Arc::clone(&jobs), on_listening));
    // Whatever happened, no worker is left waiting for work.
    jobs.shutdown();
    let deadline = std::time::Instant::now() + config.limits.shutdown_grace;
    for w in workers {
        while !w.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if w.is_finished() {
            let _ = w.join();
        }
    }
    // A solve that does not stop in time (a multi-day plan) is left to the
    // process's exit.
    runtime.shutdown_timeout(Duration::from_millis(100));
    served
}

async fn serve(config: &ServeConfig, jobs: Arc<jobs::Jobs>, on_listening: impl FnOnce(SocketAddr)) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| failed(&format!("bind {}", config.addr), e))?;
    let addr = listener.local_addr().map_err(|e| failed("local address", e))?;
    let state = handlers::AppState {
        jobs: Arc::clone(&jobs),
        limits: Arc::new(config.limits.clone()),
        uploads: Arc::new(tokio::sync::Semaphore::new(config.limits.max_uploads)),
    };
    let app = handlers::router(state);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server = accept_loop(listener, app, &config.limits, stop_rx);
    let expiry = {
        let jobs = Arc::clone(&jobs);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                jobs.expire();
            }
        })
    };
    let signal = shutdown_signal()?;
    on_listening(addr);
    let mut server = std::pin::pin!(server);
    let result = tokio::select! {
        r = &mut server => r.map_err(|e| failed("serve", e)),
        () = signal => {
            // Cancel first, so that open synchronous solves answer soon.
            jobs.shutdown();
            let _ = stop_tx.send(true);
            match tokio::time::timeout(config.limits.shutdown_grace, &mut server).await {
                Ok(r) => r.map_err(|e| failed("serve", e)),
                Err(_) => Ok(()), // open requests are dropped
            }
        }
    };
    expiry.abort();
    result
}

/// Accepts connections until `stop` turns true, serving each on a task of
/// its own with HTTP/1.1: at most [`Limits::max_connections`] at once
/// (later ones wait in the listen backlog) and each request's headers
/// within [`Limits::header_timeout`]. On stop, open connections finish
/// their request in flight and close.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: &Limits,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&slots).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break, // never closed
            },
            _ = stop.wait_for(|s| *s) => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: the listener is
                // fine, the moment is not.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stop.wait_for(|s| *s) => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client gone or too slow is its own business.
            let _ = connection.await;
            drop(permit);
        });
    }
    graceful.shutdown().await;
    Ok(())
}

/// Resolves on SIGINT or (on Unix) SIGTERM. The handlers are installed
/// before it returns.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| failed("SIGTERM handler", e))?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}
