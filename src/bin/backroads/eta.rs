//! `backroads eta`: plan mode. The shortest legal schedule of routes given
//! as sequences (a dispatcher's edit, yesterday's plan, another solver's
//! answer) and every rule they break, without optimising.

use crate::failure::Failure;
use crate::options::{read_options, read_problem};
use crate::output::report as report_out;
use backroads::distance::build_oracle;
use backroads::io::{self, schedule_csv::clock};
use backroads::text::escape;
use std::path::PathBuf;
use std::process::ExitCode;

/// `backroads eta` flags (the help text is on `Command::Eta`).
#[derive(clap::Args)]
pub(crate) struct EtaArgs {
    /// Problem file.
    input: PathBuf,
    /// Routes: the JSON `solve --out` writes (its times are recomputed), a JSON of sequences
    /// (`{"routes": [{"vehicle_type": "van", "stops": ["a", "b"]}]}`), or a CVRPLIB .sol.
    routes: PathBuf,
    /// Write the timed routes, the towns on no route and the violations as JSON.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print that JSON on stdout instead of the summary.
    #[arg(long)]
    json: bool,
    /// Distance convention of .vrp files (as for `check`).
    #[arg(long, value_name = "nearest|exact|dimacs")]
    rounding: Option<backroads::model::Rounding>,
    /// Let the problem read the files it references outside its own folder (as for `check`).
    #[arg(long)]
    allow_files_outside: bool,
}

/// `backroads eta`: exit 0 when the routes keep every rule, 3 when not.
pub(crate) fn run(args: EtaArgs) -> Result<ExitCode, Failure> {
    let read = read_options(args.allow_files_outside, args.rounding);
    let (problem, _) = read_problem(&args.input, &read)?;
    let oracle = build_oracle(&problem).map_err(|e| e.to_string())?;
    let text = io::files::read_input_text(&args.routes, read.max_solution_bytes).map_err(|e| e.to_string())?;
    let name = args.routes.display().to_string();
    let report = backroads::eta_text(&problem, oracle.as_ref(), &text, &name).map_err(|e| e.to_string())?;
    let json = report.to_json();
    let ok = report.feasible;
    Ok(report_out(&json, args.out.as_deref(), args.json, ok, || {
        for (r, route) in report.routes.iter().enumerate() {
            println!(
                "route {r}: {} #{} from {}, {} stops, {}–{}, distance {}, cost {:.2}",
                escape(&route.vehicle_type),
                route.vehicle,
                escape(&route.depot),
                route.stops.len(),
                clock(route.start_s),
                clock(route.end_s),
                route.distance,
                route.cost
            );
            for stop in &route.stops {
                println!(
                    "  {}: arrives {}, starts {}, leaves {}, load after {}",
                    escape(&stop.town),
                    clock(stop.arrival_s),
                    clock(stop.start_s),
                    clock(stop.departure_s),
                    stop.load_after
                );
            }
        }
        match report.not_in_plan.len() {
            0 => {}
            1 => println!("1 town on no route: {}", escape(&report.not_in_plan[0])),
            n => println!("{n} towns on no route"),
        }
        for v in &report.violations {
            println!("violation: {}", escape(v));
        }
        println!("{}", if report.feasible { "feasible" } else { "INFEASIBLE" });
    })?)
}
