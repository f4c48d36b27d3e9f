//! Solves in a process of their own, so that no single request can take
//! the service down: a solve that exhausts its memory limit, aborts or is
//! killed ends only its own process; the service, its queue and the other
//! jobs live on.
//!
//! The service starts [`Isolation::Process`]'s program (the `backroads`
//! binary's hidden `serve-worker` command) once per solve. The program
//! reads one request from its standard input, [`run_worker`] solves it and
//! writes JSON lines to its standard output: progress, then the outputs or
//! the error. The request is sent as it came (body, media type, query) and
//! parsed again by the same code, under the same limits. Standard input
//! stays open: a line `stop` (or its end: the service is gone) stops the
//! search, which then answers with its best routes.
//!
//! The worker caps its own address space (`RLIMIT_AS`, Unix) at the
//! configured memory limit before it reads anything.

use super::error::ApiError;
use super::limits::Limits;
use super::request::{self, BodyKind};
use super::solve::{Outputs, Summary};
use crate::solver::{Flow, SolveProgress};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// Where the service runs its solves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Isolation {
    /// On worker threads of the service's own process (a library embedding
    /// the service without a worker program). A panic is caught; an abort
    /// (out of memory) ends the service.
    #[default]
    InProcess,
    /// In a process of its own per solve (see the module docs).
    Process(WorkerProgram),
}

/// The program that runs one solve, and the memory it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerProgram {
    /// The executable (e.g. the `backroads` binary).
    pub program: PathBuf,
    /// Its arguments (e.g. `["serve-worker"]`).
    pub args: Vec<String>,
    /// Largest data memory of one solve, bytes (`None`: no limit).
    pub max_memory_bytes: Option<u64>,
}

/// A request as it came, to be parsed again by the worker.
#[derive(Debug, Clone)]
pub(crate) struct RawRequest {
    pub kind: BodyKind,
    pub body: Vec<u8>,
    pub query: Option<String>,
    /// The time cap of this kind of request.
    pub max_time: Duration,
}

/// The first line the worker reads; the body's bytes follow it.
#[derive(Debug, Serialize, Deserialize)]
struct WorkerInput {
    csv: bool,
    query: Option<String>,
    max_time_s: f64,
    limits: Limits,
    max_memory_bytes: Option<u64>,
    body_len: usize,
}

/// An error on the wire.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WireError {
    status: u16,
    code: String,
    message: String,
}

impl From<&ApiError> for WireError {
    fn from(e: &ApiError) -> Self {
        WireError {
            status: e.status.as_u16(),
            code: e.code.to_string(),
            message: e.message.clone(),
        }
    }
}

/// The codes a solve can answer with (the wire carries strings; an
/// [`ApiError`] holds static ones).
const CODES: &[&str] = &[
    "problem_too_large",
    "file_reference_refused",
    "invalid_problem",
    "malformed_csv",
    "malformed_json",
    "unprocessable_problem",
    "fixed_stops_infeasible",
    "invalid_parameter",
    "time_limit_too_long",
    "invalid_request",
    "invalid_routes",
    "unprocessable_routes",
    "plan_too_large",
    "too_many_threads",
    "internal_error",
];

impl From<WireError> for ApiError {
    fn from(e: WireError) -> Self {
        let code = CODES.iter().copied().find(|&c| c == e.code).unwrap_or("internal_error");
        let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ApiError::new(status, code, e.message)
    }
}

/// One line of the worker's output.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WorkerLine {
    Progress { best_cost: i64, iterations: u64 },
    Outputs(Box<WireOutputs>),
    Error(WireError),
}

#[derive(Debug, Serialize, Deserialize)]
struct WireOutputs {
    json: String,
    geojson: Vec<Result<String, WireError>>,
    csv: Result<String, WireError>,
    summary: Summary,
}

impl From<&Outputs> for WireOutputs {
    fn from(o: &Outputs) -> Self {
        WireOutputs {
            json: o.json.clone(),
            geojson: o
                .geojson
                .iter()
                .map(|g| g.as_ref().map_err(WireError::from).cloned())
                .collect(),
            csv: o.csv.as_ref().map_err(WireError::from).cloned(),
            summary: o.summary.clone(),
        }
    }
}

impl From<WireOutputs> for Outputs {
    fn from(o: WireOutputs) -> Self {
        Outputs {
            json: o.json,
            geojson: o.geojson.into_iter().map(|g| g.map_err(ApiError::from)).collect(),
            csv: o.csv.map_err(ApiError::from),
            summary: o.summary,
        }
    }
}

/// Longest output line read from a worker (the solution and its
/// renderings), bytes; a worker writing more is stopped.
const MAX_OUTPUT_LINE: usize = 1 << 30;

/// How long a worker may run past its request's time limit before it is
/// killed (its stop is asked for at the limit).
const KILL_GRACE: Duration = Duration::from_secs(30);

fn worker_failed(message: String) -> ApiError {
    ApiError::internal(message)
}

/// Runs `raw` in a worker process: `progress` sees the worker's progress,
/// `cancelled` is asked every few milliseconds whether to stop it.
pub(crate) fn solve_isolated(
    worker: &WorkerProgram,
    limits: &Limits,
    raw: &RawRequest,
    progress: &dyn Fn(i64, u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<Outputs, ApiError> {
    let mut child = Command::new(&worker.program)
        .args(&worker.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| worker_failed(format!("cannot start the solve worker: {e}")))?;
    let result = drive(&mut child, worker, limits, raw, progress, cancelled);
    // Whatever happened, the worker does not outlive its job.
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn drive(
    child: &mut Child,
    worker: &WorkerProgram,
    limits: &Limits,
    raw: &RawRequest,
    progress: &dyn Fn(i64, u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<Outputs, ApiError> {
    let input = WorkerInput {
        csv: raw.kind == BodyKind::Csv,
        query: raw.query.clone(),
        max_time_s: raw.max_time.as_secs_f64(),
        limits: limits.clone(),
        max_memory_bytes: worker.max_memory_bytes,
        body_len: raw.body.len(),
    };
    let mut stdin: ChildStdin = child
        .stdin
        .take()
        .ok_or_else(|| worker_failed("the solve worker has no input".into()))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| worker_failed("the solve worker has no output".into()))?;
    let header = serde_json::to_string(&input).map_err(|e| worker_failed(format!("worker input: {e}")))?;
    // A worker that dies at once closes its input: that shows below.
    let _ = writeln!(stdin, "{header}")
        .and_then(|()| stdin.write_all(&raw.body))
        .and_then(|()| stdin.flush());
    let (tx, rx) = mpsc::channel::<Result<WorkerLine, String>>();
    let reader = std::thread::Builder::new()
        .name("backroads-worker-out".into())
        .spawn(move || read_lines(stdout, &tx))
        .map_err(|e| worker_failed(format!("cannot read the solve worker: {e}")))?;
    let started = Instant::now();
    let stop_at = started + raw.max_time;
    let kill_at = stop_at + KILL_GRACE;
    let mut stop_sent = false;
    let outcome = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(WorkerLine::Progress { best_cost, iterations })) => progress(best_cost, iterations),
            Ok(Ok(WorkerLine::Outputs(o))) => break Ok(Outputs::from(*o)),
            Ok(Ok(WorkerLine::Error(e))) => break Err(ApiError::from(e)),
            Ok(Err(why)) => break Err(worker_failed(why)),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break Err(ended(child, worker)),
        }
        let now = Instant::now();
        if !stop_sent && (cancelled() || now >= stop_at) {
            stop_sent = true;
            let _ = writeln!(stdin, "stop").and_then(|()| stdin.flush());
        }
        if now >= kill_at {
            break Err(worker_failed(format!(
                "the solve did not stop within {} s of its time limit and was ended",
                KILL_GRACE.as_secs()
            )));
        }
    };
    drop(stdin);
    let _ = child.kill();
    let _ = reader.join();
    outcome
}

/// Why a worker's output ended without an answer.
fn ended(child: &mut Child, worker: &WorkerProgram) -> ApiError {
    let status = child.wait().ok();
    let limit = worker
        .max_memory_bytes
        .map_or(String::new(), |m| format!(" (its memory limit is {} MiB)", m >> 20));
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.and_then(|s| s.signal()) {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "solve_aborted",
                format!("the solve ended abnormally (signal {signal}){limit}; the service lives on"),
            );
        }
    }
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "solve_aborted",
        format!(
            "the solve ended without an answer ({}){limit}; the service lives on",
            status.map_or("no status".to_string(), |s| s.to_string())
        ),
    )
}

fn read_lines(stdout: std::process::ChildStdout, tx: &mpsc::Sender<Result<WorkerLine, String>>) {
    let mut out = BufReader::new(stdout);
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut out).take(MAX_OUTPUT_LINE as u64 + 1).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(n) if n > MAX_OUTPUT_LINE => {
                let _ = tx.send(Err(format!(
                    "the solve's answer is larger than {MAX_OUTPUT_LINE} bytes"
                )));
                return;
            }
            Ok(_) => {}
        }
        let parsed = serde_json::from_slice::<WorkerLine>(&line).map_err(|e| format!("the solve worker's answer: {e}"));
        let last = !matches!(parsed, Ok(WorkerLine::Progress { .. }));
        if tx.send(parsed).is_err() || last {
            return;
        }
    }
}

/// Caps this process's data memory at `bytes` (Unix; elsewhere nothing).
fn cap_memory(bytes: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct we pass and changes only this
        // process's limit.
        let rc = unsafe { libc::setrlimit(libc::RLIMIT_DATA, &limit) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(unix))]
    let _ = bytes;
    Ok(())
}

/// Writes worker lines; each is one JSON line, flushed.
struct LineOut<W: Write> {
    out: std::sync::Mutex<(W, Option<Instant>)>,
}

impl<W: Write> LineOut<W> {
    fn write(&self, line: &WorkerLine) -> bool {
        let Ok(text) = serde_json::to_string(line) else {
            return false;
        };
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        writeln!(out.0, "{text}").and_then(|()| out.0.flush()).is_ok()
    }

    /// A progress line, at most ten a second.
    fn progress(&self, p: &SolveProgress) {
        let line = WorkerLine::Progress {
            best_cost: p.best_cost,
            iterations: p.iterations,
        };
        let Ok(text) = serde_json::to_string(&line) else { return };
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if out.1.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        out.1 = Some(Instant::now());
        let _ = writeln!(out.0, "{text}").and_then(|()| out.0.flush());
    }

    /// Writes the answer; the exit code: 0 if it was written.
    fn answer(&self, line: &WorkerLine) -> i32 {
        i32::from(!self.write(line))
    }
}

/// The worker program's body (`backroads serve-worker`): reads one request
/// from `input`, solves it, writes JSON lines to `output` (module docs).
/// Returns the process's exit code: 0 when an answer (outputs or error)
/// was written.
pub fn run_worker(input: impl Read + Send + 'static, output: impl Write + Send) -> i32 {
    let out = LineOut {
        out: std::sync::Mutex::new((output, None)),
    };
    let failed = |what: String| WorkerLine::Error(WireError::from(&worker_failed(what)));
    let mut input = BufReader::new(input);
    let mut header = String::new();
    let header = match input
        .read_line(&mut header)
        .map(|_| serde_json::from_str::<WorkerInput>(&header))
    {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => return out.answer(&failed(format!("worker input: {e}"))),
        Err(e) => return out.answer(&failed(format!("worker input: {e}"))),
    };
    if let Some(bytes) = header.max_memory_bytes
        && let Err(e) = cap_memory(bytes)
    {
        return out.answer(&failed(format!("cannot cap the solve's memory: {e}")));
    }
    if header.body_len > header.limits.max_body_bytes {
        return out.answer(&failed("worker input: body over the limit".into()));
    }
    let mut body = vec![0u8; header.body_len];
    if let Err(e) = input.read_exact(&mut body) {
        return out.answer(&failed(format!("worker input: {e}")));
    }
    // The rest of the input: `stop`, or its end, stops the search.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        let _ = std::thread::Builder::new()
            .name("backroads-worker-in".into())
            .spawn(move || {
                let mut line = String::new();
                loop {
                    line.clear();
                    match input.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if line.trim() == "stop" => break,
                        Ok(_) => {}
                    }
                }
                stop.store(true, Ordering::Relaxed);
            });
    }
    let kind = if header.csv { BodyKind::Csv } else { BodyKind::Json };
    let built = request::parse_params(header.query.as_deref()).and_then(|params| {
        request::build(
            kind,
            &body,
            &params,
            &header.limits,
            Duration::from_secs_f64(header.max_time_s.max(0.0)),
        )
    });
    drop(body);
    let request = match built {
        Ok(r) => r,
        Err(e) => return out.answer(&WorkerLine::Error(WireError::from(&e))),
    };
    let observer = |p: &SolveProgress| {
        out.progress(p);
        if stop.load(Ordering::Relaxed) {
            Flow::Stop
        } else {
            Flow::Continue
        }
    };
    let line = match super::solve::run(&request, &observer) {
        Ok(outputs) => WorkerLine::Outputs(Box::new(WireOutputs::from(&outputs))),
        Err(e) => WorkerLine::Error(WireError::from(&e)),
    };
    out.answer(&line)
}
