//! The `backroads` command line: thin glue over the library.
//!
//! Exit status: 0 success; 1 bad input or I/O error (one line on stderr);
//! 2 bad usage; 3 `solve` finished but some towns are unassigned, or `check`
//! found the solution infeasible, or `quality` / `bench` produced an
//! infeasible solution (or one with unassigned towns). `bench` goes on after
//! an input it cannot read or solve and exits 1 at the end (1 wins over 3).

mod bench;
mod check;
mod eta;
mod failure;
mod fit;
mod generate;
mod horizon_output;
mod options;
#[cfg(feature = "osm")]
mod osm;
mod output;
mod progress;
mod quality;
#[cfg(feature = "serve")]
mod serve;
mod solve;

use backroads::text::escape;
use clap::{Parser, Subcommand};
use failure::Failure;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "backroads", version, about = "Delivery routes for rural road networks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a problem (.json, CVRPLIB .vrp or Solomon .txt) and print a summary on stderr.
    ///
    /// A JSON problem with `horizon_days` is planned over its days (one visit pattern per town, every
    /// day routed): a summary per day; --out writes the multi-day plan, --schedule one CSV with a day
    /// column, --geojson and --svg one file per day (FILE-dayN.ext); --sol is refused.
    Solve(solve::SolveArgs),
    /// Validate a solution (.sol or .json) against a problem.
    Check(check::CheckArgs),
    /// Plan mode: time routes given as sequences (a solution JSON, a JSON of sequences or a .sol)
    /// with the shortest legal schedule, and name every rule they break, without optimising.
    ///
    /// Prints every stop's arrival, start and departure and the load on board; --out writes the
    /// report as JSON. Exit status 3 when a rule is broken.
    Eta(eta::EtaArgs),
    /// Where a new order fits into the current plan: the cheapest feasible places (vehicle, position,
    /// added cost, the new times of the stops it moves), or why there is none.
    ///
    /// Exit status 3 when no place takes the town.
    Fit(fit::FitArgs),
    /// Solve every .vrp file of a folder and compare with best-known costs.
    Quality(quality::QualityArgs),
    /// Solve problem files and folders one after another, validate each
    /// solution and compare its cost with best-known costs.
    Bench(bench::BenchArgs),
    /// Generate a clustered rural CVRP instance (.vrp, EUC_2D, 1 unit = 100 m) for scale benchmarks.
    Generate(generate::GenerateArgs),
    /// Serve the solver over HTTP (loopback by default): POST /v1/solve, POST /v1/jobs,
    /// GET/DELETE /v1/jobs/{id}, GET /v1/jobs/{id}/solution, POST /v1/eta (plan mode),
    /// POST /v1/fit (where a new order fits), GET /health, GET /openapi.json.
    ///
    /// Prints `listening on http://ADDR` on stdout once it accepts connections; SIGINT or
    /// SIGTERM stops it (queued jobs cancelled, running solves stopped) with exit status 0.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// One solve of `backroads serve`, in a process of its own: the request on stdin,
    /// progress and the answer as JSON lines on stdout (internal to the service).
    #[cfg(feature = "serve")]
    #[command(hide = true)]
    ServeWorker,
    /// Import the drivable road network and settlements of an OpenStreetMap
    /// .osm.pbf extract and print its statistics (data © OpenStreetMap contributors, ODbL).
    #[cfg(feature = "osm")]
    Osm(osm::OsmArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(Failure::Usage(e)) => {
            // As clap reports its own value errors: exit 2.
            eprintln!("error: {}", escape(&e));
            ExitCode::from(2)
        }
        Err(Failure::Input(e)) => {
            // Every message is escaped: no id or file content can forge a line.
            eprintln!("error: {}", escape(&e));
            ExitCode::from(1)
        }
    }
}

/// Runs a command: its exit status, or why it failed.
fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Solve(args) => solve::run(args),
        Command::Check(args) => check::run(args),
        Command::Eta(args) => eta::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Quality(args) => quality::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Generate(args) => generate::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
        #[cfg(feature = "serve")]
        Command::ServeWorker => serve::run_worker(),
        #[cfg(feature = "osm")]
        Command::Osm(args) => osm::run(args),
    }
}
