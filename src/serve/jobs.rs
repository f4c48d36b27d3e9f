//! Jobs: a bounded queue, worker threads that solve one job each at a
//! time (never on the async runtime's threads), cancellation, expiry.

use super::error::{ApiError, ErrorDetail};
use super::limits::Limits;
use super::request::SolveRequest;
use super::solve::{Outputs, Summary};
use super::worker::{Isolation, RawRequest};
use crate::solver::{Flow, SolveProgress};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use utoipa::ToSchema;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// Being solved.
    Running,
    /// Solved: the solution is ready.
    Done,
    /// The solve failed: see `error`.
    Failed,
    /// Cancelled (`DELETE`, or the service shutting down); a job cancelled
    /// while running keeps the best solution found so far, if any.
    Cancelled,
}

impl JobState {
    /// Done, failed or cancelled.
    pub fn is_terminal(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed | JobState::Cancelled)
    }
}

/// How a job's solve is going.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobProgress {
    /// Cost of the best routes so far (model units), once the search has
    /// reported.
    #[schema(required = true)]
    pub best_cost: Option<i64>,
    /// Search steps run so far.
    pub iterations: u64,
    /// Seconds since the solve started (0 while queued).
    pub elapsed_s: f64,
}

/// `GET /v1/jobs/{id}`: a job's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobStatus {
    /// The job's id.
    pub id: String,
    /// Where it is.
    pub status: JobState,
    /// How the solve is going.
    pub progress: JobProgress,
    /// Figures of the solution, once there is one (done, or cancelled
    /// with a solution).
    #[schema(required = true)]
    pub summary: Option<Summary>,
    /// Why the job failed.
    #[schema(required = true)]
    pub error: Option<ErrorDetail>,
}

/// Progress the observer writes and readers see without the lock.
struct Live {
    best_cost: AtomicI64,
    iterations: AtomicU64,
}

const NO_COST: i64 = i64::MIN;

struct Job {
    state: JobState,
    /// A synchronous `POST /v1/solve`: not visible under `/v1/jobs`.
    sync: bool,
    /// A synchronous job whose client left: dropped when its solve stops.
    abandoned: bool,
    started: Option<Instant>,
    finished: Option<Instant>,
    request: Option<(SolveRequest, RawRequest)>,
    cancel: Arc<AtomicBool>,
    live: Arc<Live>,
    outputs: Option<Arc<Outputs>>,
    error: Option<ApiError>,
    done: watch::Sender<bool>,
}

impl Job {
    fn status(&self, id: &str) -> JobStatus {
        let best = self.live.best_cost.load(Ordering::Relaxed);
        let elapsed = match (self.started, self.finished) {
            (Some(s), Some(f)) => f.saturating_duration_since(s),
            (Some(s), None) => s.elapsed(),
            _ => Duration::ZERO,
        };
        JobStatus {
            id: id.to_string(),
            status: self.state,
            progress: JobProgress {
                best_cost: (best != NO_COST).then_some(best),
                iterations: self.live.iterations.load(Ordering::Relaxed),
                elapsed_s: elapsed.as_secs_f64(),
            },
            summary: self.outputs.as_ref().map(|o| o.summary.clone()),
            error: self.error.as_ref().map(|e| e.body().error),
        }
    }

    fn finish(&mut self, state: JobState) {
        self.state = state;
        self.finished = Some(Instant::now());
        self.done.send_replace(true);
    }
}

#[derive(Default)]
struct State {
    jobs: HashMap<String, Job>,
    queue: VecDeque<String>,
    running: usize,
    closed: bool,
    next: u64,
}

/// Counts for `/health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub queued: usize,
    pub running: usize,
}

/// The job table and its workers.
pub(crate) struct Jobs {
    state: Mutex<State>,
    wake: Condvar,
    limits: Limits,
    isolation: Isolation,
}

/// A job's answer when it is over: its state, outputs and error.
pub(crate) struct Finished {
    pub state: JobState,
    pub outputs: Option<Arc<Outputs>>,
    pub error: Option<ApiError>,
}

fn shutting_down() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "shutting_down",
        "the service is shutting down and takes no new work",
    )
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "job_not_found",
        format!(
            "no job '{}' (never created, or expired)",
            crate::text::escape(&id.chars().take(80).collect::<String>())
        ),
    )
}

/// A fresh, hard to guess job id (32 hex digits; not a secret).
fn new_id(counter: u64) -> String {
    use std::hash::{BuildHasher, Hasher};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut halves = [0u64; 2];
    for (i, half) in halves.iter_mut().enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(counter);
        h.write_u128(nanos);
        h.write_usize(i);
        *half = h.finish();
    }
    format!("{:016x}{:016x}", halves[0], halves[1])
}

impl Jobs {
    /// The table, and `limits.max_running` worker threads serving it.
    pub(crate) fn start(limits: Limits, isolation: Isolation) -> crate::Result<(Arc<Jobs>, Vec<JoinHandle<()>>)> {
        let jobs = Arc::new(Jobs {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            limits,
            isolation,
        });
        let mut workers = Vec::new();
        for i in 0..jobs.limits.max_running {
            let j = Arc::clone(&jobs);
            let handle = std::thread::Builder::new()
                .name(format!("backroads-solve-{i}"))
                .spawn(move || j.work())
                .map_err(|e| crate::Error::io("<worker thread>", e))?;
            workers.push(handle);
        }
        Ok((jobs, workers))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Accepts a request into the queue: its id and a receiver that turns
    /// true when the job is over. 503 `queue_full` when the queue is full,
    /// 503 `shutting_down` after a shutdown began.
    pub(crate) fn submit(
        &self,
        request: (SolveRequest, RawRequest),
        sync: bool,
    ) -> Result<(String, watch::Receiver<bool>), ApiError> {
        let mut st = self.lock();
        if st.closed {
            return Err(shutting_down());
        }
        self.sweep(&mut st);
        if st.queue.len() >= self.limits.max_queue {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "queue_full",
                format!(
                    "{} solves are waiting already (the limit); try again later",
                    st.queue.len()
                ),
            ));
        }
        st.next += 1;
        let id = new_id(st.next);
        let (done, rx) = watch::channel(false);
        st.jobs.insert(
            id.clone(),
            Job {
                state: JobState::Queued,
                sync,
                abandoned: false,
                started: None,
                finished: None,
                request: Some(request),
                cancel: Arc::new(AtomicBool::new(false)),
                live: Arc::new(Live {
                    best_cost: AtomicI64::new(NO_COST),
                    iterations: AtomicU64::new(0),
                }),
                outputs: None,
                error: None,
                done,
            },
        );
        st.queue.push_back(id.clone());
        drop(st);
        self.wake.notify_one();
        Ok((id, rx))
    }

    /// The status of a (visible) job.
    pub(crate) fn status(&self, id: &str) -> Result<JobStatus, ApiError> {
        let mut st = self.lock();
        self.sweep(&mut st);
        match st.jobs.get(id) {
            Some(job) if !job.sync => Ok(job.status(id)),
            _ => Err(not_found(id)),
        }
    }

    /// The outputs of a job that has a solution: 404 unknown, 409
    /// `job_not_done` while queued or running, 409 `no_solution` for a
    /// failed job or one cancelled before it had a solution.
    pub(crate) fn outputs(&self, id: &str) -> Result<Arc<Outputs>, ApiError> {
        let mut st = self.lock();
        self.sweep(&mut st);
        let job = match st.jobs.get(id) {
            Some(job) if !job.sync => job,
            _ => return Err(not_found(id)),
        };
        if let Some(o) = &job.outputs {
            return Ok(Arc::clone(o));
        }
        let state = job.status(id).status;
        Err(if state.is_terminal() {
            ApiError::new(
                StatusCode::CONFLICT,
                "no_solution",
                format!("job {id} is {state:?} without a solution").to_lowercase(),
            )
        } else {
            ApiError::new(
                StatusCode::CONFLICT,
                "job_not_done",
                format!("job {id} is {state:?}: poll GET /v1/jobs/{id} until it is done").to_lowercase(),
            )
        })
    }

    /// Cancels a job: a queued one at once, a running one at the search's
    /// next step (it keeps its best solution). A finished job is left as
    /// it is. Returns its status and whether it is still running.
    pub(crate) fn cancel(&self, id: &str) -> Result<(JobStatus, bool), ApiError> {
        let mut st = self.lock();
        self.sweep(&mut st);
        let job = match st.jobs.get_mut(id) {
            Some(job) if !job.sync => job,
            _ => return Err(not_found(id)),
        };
        let running = job.state == JobState::Running;
        match job.state {
            JobState::Queued => {
                job.request = None;
                job.finish(JobState::Cancelled);
                st.queue.retain(|q| q != id);
            }
            JobState::Running => job.cancel.store(true, Ordering::Relaxed),
            _ => {}
        }
        let status = st.jobs.get(id).map(|j| j.status(id)).ok_or_else(|| not_found(id))?;
        Ok((status, running))
    }

    /// Takes a synchronous job's result once it is over, removing the job.
    pub(crate) fn take(&self, id: &str) -> Option<Finished> {
        let mut st = self.lock();
        if !st.jobs.get(id)?.state.is_terminal() {
            return None;
        }
        let job = st.jobs.remove(id)?;
        Some(Finished {
            state: job.state,
            outputs: job.outputs,
            error: job.error,
        })
    }

    /// A synchronous request gone (its client left): its job is cancelled
    /// and forgotten.
    pub(crate) fn abandon(&self, id: &str) {
        let mut st = self.lock();
        let Some(job) = st.jobs.get_mut(id) else { return };
        match job.state {
            JobState::Running => {
                // The worker removes it when the solve stops.
                job.cancel.store(true, Ordering::Relaxed);
                job.abandoned = true;
            }
            _ => {
                st.jobs.remove(id);
                st.queue.retain(|q| q != id);
            }
        }
    }

    /// Queued and running solves.
    pub(crate) fn counts(&self) -> Counts {
        let st = self.lock();
        Counts {
            queued: st.queue.len(),
            running: st.running,
        }
    }

    /// Forgets expired jobs; called on every access and once a second.
    pub(crate) fn expire(&self) {
        let mut st = self.lock();
        self.sweep(&mut st);
    }

    fn sweep(&self, st: &mut State) {
        let ttl = self.limits.job_ttl;
        let now = Instant::now();
        // Synchronous jobs are not swept: their handler takes them.
        st.jobs
            .retain(|_, j| j.sync || j.finished.is_none_or(|f| now.saturating_duration_since(f) < ttl));
        // Too many finished jobs: the oldest go first.
        let finished = st.jobs.values().filter(|j| !j.sync && j.finished.is_some()).count();
        if finished > self.limits.max_finished_jobs {
            let mut by_age: Vec<(Instant, String)> = st
                .jobs
                .iter()
                .filter(|(_, j)| !j.sync)
                .filter_map(|(id, j)| j.finished.map(|f| (f, id.clone())))
                .collect();
            by_age.sort();
            for (_, id) in by_age.into_iter().take(finished - self.limits.max_finished_jobs) {
                st.jobs.remove(&id);
            }
        }
    }

    /// Begins the shutdown: no new work; queued jobs are cancelled, running
    /// solves told to stop (they keep their best solution).
    pub(crate) fn shutdown(&self) {
        let mut st = self.lock();
        st.closed = true;
        let queued: Vec<String> = st.queue.drain(..).collect();
        for id in queued {
            if let Some(job) = st.jobs.get_mut(&id) {
                job.request = None;
                job.finish(JobState::Cancelled);
            }
        }
        for job in st.jobs.values() {
            if job.state == JobState::Running {
                job.cancel.store(true, Ordering::Relaxed);
            }
        }
        drop(st);
        self.wake.notify_all();
    }

    /// A worker: takes the oldest queued job, solves it, records the
    /// outcome; returns once the shutdown began and the queue is empty.
    fn work(&self) {
        loop {
            let (id, request, cancel, live) = {
                let mut st = self.lock();
                loop {
                    if let Some(id) = st.queue.pop_front() {
                        let Some(job) = st.jobs.get_mut(&id) else { continue };
                        let Some(request) = job.request.take() else { continue };
                        job.state = JobState::Running;
                        job.started = Some(Instant::now());
                        let taken = (id, request, Arc::clone(&job.cancel), Arc::clone(&job.live));
                        st.running += 1;
                        break taken;
                    }
                    if st.closed {
                        return;
                    }
                    st = self.wake.wait(st).unwrap_or_else(|e| e.into_inner());
                }
            };
            let observer = |p: &SolveProgress| {
                live.best_cost.store(p.best_cost, Ordering::Relaxed);
                live.iterations.store(p.iterations, Ordering::Relaxed);
                if cancel.load(Ordering::Relaxed) {
                    Flow::Stop
                } else {
                    Flow::Continue
                }
            };
            let (request, raw) = request;
            let result = match &self.isolation {
                Isolation::InProcess => {
                    drop(raw);
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| super::solve::run(&request, &observer)))
                        .unwrap_or_else(|_| Err(ApiError::internal("the solver panicked; this is a bug")))
                }
                Isolation::Process(worker) => {
                    drop(request);
                    super::worker::solve_isolated(
                        worker,
                        &self.limits,
                        &raw,
                        &|best_cost, iterations| {
                            live.best_cost.store(best_cost, Ordering::Relaxed);
                            live.iterations.store(iterations, Ordering::Relaxed);
                        },
                        &|| cancel.load(Ordering::Relaxed),
                    )
                }
            };
            let mut st = self.lock();
            st.running -= 1;
            if let Some(job) = st.jobs.get_mut(&id) {
                let cancelled = cancel.load(Ordering::Relaxed);
                let state = match result {
                    Ok(outputs) => {
                        job.outputs = Some(Arc::new(outputs));
                        if cancelled { JobState::Cancelled } else { JobState::Done }
                    }
                    Err(e) => {
                        job.error = Some(e);
                        JobState::Failed
                    }
                };
                job.finish(state);
                if job.abandoned {
                    st.jobs.remove(&id);
                }
            }
            self.sweep(&mut st);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ() {
        assert_ne!(new_id(1), new_id(1));
        assert_eq!(new_id(7).len(), 32);
    }
}
