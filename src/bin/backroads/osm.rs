//! `backroads osm`: its flags, the import of an OpenStreetMap extract and
//! its statistics.

use crate::failure::Failure;
use backroads::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `backroads osm` flags (the help text is on `Command::Osm`).
#[derive(clap::Args)]
pub(crate) struct OsmArgs {
    /// The .osm.pbf file.
    input: PathBuf,
    /// Leave out tracks of these tracktype grades (1 = paved … 5 = soft), e.g. 4,5.
    #[arg(long, value_name = "GRADES", value_delimiter = ',')]
    avoid_tracktypes: Vec<u8>,
    /// Leave out all highway=track ways.
    #[arg(long)]
    no_tracks: bool,
    /// Keep junctions outside the largest strongly connected component.
    #[arg(long)]
    all_components: bool,
    /// Write nodes.csv, edges.csv (the layout road networks are loaded from) and settlements.csv here.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// `backroads osm` from its flags.
pub(crate) fn run(args: OsmArgs) -> Result<ExitCode, Failure> {
    let OsmArgs {
        input,
        avoid_tracktypes,
        no_tracks,
        all_components,
        out_dir,
    } = args;
    let opts = io::osm::OsmOptions {
        avoid_tracktypes,
        include_tracks: !no_tracks,
        keep_largest_scc: !all_components,
        ..Default::default()
    };
    Ok(run_osm(&input, &opts, out_dir.as_deref())?)
}

/// `backroads osm`: import, print the statistics, optionally write the CSVs.
fn run_osm(input: &Path, opts: &io::osm::OsmOptions, out_dir: Option<&Path>) -> Result<ExitCode, String> {
    let osm = io::osm::import_pbf(input, opts).map_err(|e| e.to_string())?;
    let s = &osm.stats;
    let mut text = format!(
        "{}: imported in {:.3} s (map data (c) OpenStreetMap contributors, ODbL)\n\
         ways: {} used, {} closed to motor vehicles, {} left out by the track options, {} with missing nodes\n\
         junctions: {} ({} outside the largest strongly connected component removed)\n\
         segments: {} ({} one-way), {} directed arcs ({} removed outside the component)\n\
         total length: {:.1} km\n",
        input.display(),
        s.elapsed.as_secs_f64(),
        s.ways_used,
        s.ways_excluded_by_access,
        s.ways_excluded_by_options,
        s.ways_missing_nodes,
        s.junctions,
        s.removed_outside_scc,
        s.segments,
        s.oneway_segments,
        s.arcs,
        s.segments_removed_outside_scc,
        s.total_length_m / 1000.0,
    );
    let mut classes: Vec<(&String, &f64)> = s.length_by_class.iter().collect();
    classes.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    for (class, m) in classes {
        text += &format!("  {class:<15} {:>8.1} km\n", m / 1000.0);
    }
    let mut places: Vec<(&str, usize)> = Vec::new();
    for st in &osm.settlements {
        match places.iter_mut().find(|(p, _)| *p == st.place) {
            Some((_, n)) => *n += 1,
            None => places.push((&st.place, 1)),
        }
    }
    let places: Vec<String> = places.iter().map(|(p, n)| format!("{p} {n}")).collect();
    text += &format!("settlements: {} ({})\n", osm.settlements.len(), places.join(", "));
    if let Some(dir) = out_dir {
        osm.write_csv_dir(dir).map_err(|e| e.to_string())?;
        text += &format!("wrote nodes.csv, edges.csv, settlements.csv to {}\n", dir.display());
    }
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
