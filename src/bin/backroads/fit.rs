//! `backroads fit`: where a new order fits into the current plan: the
//! cheapest feasible places (vehicle, position, added cost, the new times
//! of the stops it moves), or why there is none.

use crate::failure::Failure;
use crate::options::{read_options, read_problem};
use crate::output::report as report_out;
use backroads::io::{self, schedule_csv::clock};
use backroads::text::escape;
use std::path::PathBuf;
use std::process::ExitCode;

/// `backroads fit` flags (the help text is on `Command::Fit`).
#[derive(clap::Args)]
pub(crate) struct FitArgs {
    /// Problem file.
    input: PathBuf,
    /// The current plan: the JSON `solve --out` writes, a JSON of sequences, or a CVRPLIB .sol.
    plan: PathBuf,
    /// The new town, as a town of the JSON problem model (`{"id": …, "location": …, "demand": …,
    /// "windows": …}`).
    #[arg(long, value_name = "FILE")]
    town: PathBuf,
    /// How many places to list, cheapest first.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    top: u32,
    /// Write the places (each with its route's new schedule) as JSON.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print that JSON on stdout instead of the summary.
    #[arg(long)]
    json: bool,
    /// Let the problem read the files it references outside its own folder (as for `check`).
    #[arg(long)]
    allow_files_outside: bool,
}

/// `backroads fit`: exit 0 when some place takes the town, 3 when none does.
pub(crate) fn run(args: FitArgs) -> Result<ExitCode, Failure> {
    let read = read_options(args.allow_files_outside, None);
    let (problem, _) = read_problem(&args.input, &read)?;
    let plan = io::files::read_input_text(&args.plan, read.max_solution_bytes).map_err(|e| e.to_string())?;
    let town = io::files::read_input_text(&args.town, read.max_solution_bytes).map_err(|e| e.to_string())?;
    let name = args.plan.display().to_string();
    let report = backroads::fit_json(&problem, &plan, &name, &town, args.top as usize).map_err(|e| e.to_string())?;
    let json = report.to_json();
    let ok = report.fits;
    Ok(report_out(&json, args.out.as_deref(), args.json, ok, || {
        for (k, o) in report.options.iter().enumerate() {
            let route = o
                .route
                .map_or("a vehicle not on the road yet".to_string(), |r| format!("route {r}"));
            let place = match (&o.after, &o.before) {
                (None, None) => "alone".to_string(),
                (Some(a), None) => format!("after {}", escape(a)),
                (None, Some(b)) => format!("before {}", escape(b)),
                (Some(a), Some(b)) => format!("between {} and {}", escape(a), escape(b)),
            };
            println!(
                "{}. {} #{} ({route}), {place}: cost +{:.2}, distance +{}, duration +{} s, service at {}, {} stops move",
                k + 1,
                escape(&o.vehicle_type),
                o.vehicle,
                o.added_cost,
                o.added_distance,
                o.added_duration_s,
                clock(o.start_s),
                o.moved.len()
            );
        }
        match &report.because {
            Some(why) => println!("{} fits nowhere: {}", escape(&report.town), escape(why)),
            None => println!("{} fits", escape(&report.town)),
        }
    })?)
}
