//! CVRPLIB / VRPLIB `.vrp` instances: a TSPLIB-style header of `KEY : value`
//! lines followed by data sections.
//!
//! # What is read
//! * Header keys `NAME`, `TYPE` (`CVRP`, `ACVRP`, `VRPTW` or absent; anything
//!   else is refused naming the type), `DIMENSION`, `CAPACITY`,
//!   `EDGE_WEIGHT_TYPE` (`EUC_2D` or `EXPLICIT`), `EDGE_WEIGHT_FORMAT` (all
//!   nine full/triangular row/column layouts), `DISTANCE`, `SERVICE_TIME`,
//!   `VEHICLES`. Other keys written `KEY : value` (`COMMENT`,
//!   `NODE_COORD_TYPE`, ...) are ignored. Tabs, CRLF line ends and missing
//!   spaces around the colon are tolerated.
//! * Sections `NODE_COORD_SECTION`, `DISPLAY_DATA_SECTION` (coordinates for
//!   display only), `DEMAND_SECTION`, `DEPOT_SECTION` (node ids ended by `-1`;
//!   absent = node 1), `EDGE_WEIGHT_SECTION` (numbers may wrap across lines
//!   freely), `TIME_WINDOW_SECTION` (`id ready due`) and
//!   `SERVICE_TIME_SECTION` (`id service`, overriding `SERVICE_TIME` node by
//!   node), and `EOF` (optional; anything after it is ignored).
//! * PyVRP's dialect (`TYPE : HFVRP`, `VRPB`, … or any per-vehicle section):
//!   `BACKHAUL_SECTION`, `PRIZE_SECTION`, `RELEASE_TIME_SECTION` and the
//!   per-vehicle sections (`CAPACITY_SECTION`, `VEHICLES_…_SECTION`).
//!   Several capacity dimensions are a column each in `DEMAND_SECTION`,
//!   `BACKHAUL_SECTION` and `CAPACITY_SECTION` (1 to
//!   [`MAX_DIMENSIONS`] columns, as many in every row and section).
//!
//! # Time windows (`TYPE : VRPTW`)
//! A file with `TYPE : VRPTW` or a `TIME_WINDOW_SECTION` (e.g. Gehring &
//! Homberger's, the VRPTW files of CVRPLIB) is a time-window instance: it
//! needs `EUC_2D`, a `TIME_WINDOW_SECTION` covering every node and a single
//! depot, and `DISTANCE` is refused. It is built by
//! [`crate::io::solomon`] in the DIMACS convention (integer tenths:
//! distance = travel time = `floor(10 · euclid)` as a matrix; windows,
//! `SERVICE_TIME` and service times × 10; the depot's window becomes its
//! `hours`; `VEHICLES` the fleet size). `DIMENSION` above
//! [`MAX_VRPTW_NODES`] is refused with [`Error::TooLarge`].
//!
//! # How it maps onto a [`Problem`]
//! * Depot and town ids are the VRPLIB node numbers as strings: with the
//!   usual depot 1, the depot is `"1"` and the towns `"2"`..`"n"`, in node
//!   order. (CVRPLIB `.sol` files number customers from 1, i.e. customer `c`
//!   is node `c + 1`; see [`crate::io::sol`].)
//! * `EUC_2D` gives planar locations and [`TravelSpec::Euclidean`], made
//!   integers by the file's distance convention (below). `EXPLICIT` gives
//!   [`TravelSpec::Matrix`] reordered to the model's location order (depots
//!   first, then towns); locations come from `NODE_COORD_SECTION` or
//!   `DISPLAY_DATA_SECTION` when present, else are all `(0, 0)`.
//! * The fleet is one vehicle type per depot: `"vehicle"` for the usual
//!   single depot, `"vehicle-<depot node>"` for each depot of a multi-depot
//!   file. The count is unlimited unless `VEHICLES` is given; with several
//!   depots `VEHICLES` bounds each depot's type (looser than the file's total).
//! * Time is measured in instance units: every vehicle type gets
//!   [`VRPLIB_SPEED_KMH`] (3.6 km/h = 1 distance unit per second), so a travel
//!   time in seconds equals the distance.
//!
//! # Distance conventions
//! The [`Problem::rounding`] of an `EUC_2D` CVRP file is the caller's
//! ([`ReadOptions::rounding`], `--rounding`), else by file kind:
//! * real-valued coordinates or a `DISTANCE` limit (Golden, CMT, Li):
//!   [`Rounding::Exact`] — arcs `ceil(d × 10⁴)`, `DISTANCE` (and the shift it
//!   implies) `floor(DISTANCE × 10⁴)`, `SERVICE_TIME` × 10⁴, so a route
//!   within the limit in the model is within it in real arithmetic; needs
//!   coordinates within ±[`MAX_EXACT_COORDINATE`] (beyond, the default is
//!   nearest and an explicit exact is refused);
//! * otherwise (CVRPLIB X, XXL): [`Rounding::Nearest`], `nint`, as before.
//!
//! [`Rounding::DimacsTenths`] may be chosen too (`floor(d × 10)`, limits and
//! service in tenths). `EXPLICIT` matrices are nearest only, time-window files
//! DIMACS tenths only; another choice for them is refused.
//!
//! # `DISTANCE` and `SERVICE_TIME`
//! CVRPLIB's `DISTANCE` bounds the *route length including service times*
//! (Christofides' CMT instances: `sum(arcs) + SERVICE_TIME * customers <=
//! DISTANCE`). The reader maps this exactly:
//! * `SERVICE_TIME` becomes every town's `service_time_s` (in the
//!   convention's units);
//! * `DISTANCE` becomes every vehicle type's `max_distance` (travel only,
//!   in the convention's units);
//! * when both are given (service time > 0), `DISTANCE` also becomes
//!   `max_duration_s`. With 1 distance unit = 1 second, a route's duration
//!   is travel distance + service times, which is precisely CVRPLIB's
//!   constrained quantity; `max_distance` is then implied and harmless.
//!
//! Without `DISTANCE`, durations are unconstrained.
//!
//! # Limits
//! `DIMENSION` above [`MAX_TOWNS`]` + 1` is refused with
//! [`Error::TooLarge`] before anything proportional to it is allocated, and so
//! is an `EXPLICIT` matrix of more than [`MAX_EXPLICIT_NODES`] nodes. Memory
//! otherwise grows only with the data actually read. Coordinates beyond
//! ±[`MAX_COORDINATE`] are refused with a parse error naming the line.

mod build;
mod fleet;
mod lexicon;
mod reader;
mod rows;
#[cfg(test)]
mod tests;
mod write;

use super::files::ReadOptions;
use super::vrptw;
use crate::error::{Error, Result};
use crate::model::{Problem, Rounding};
use reader::Reader;
use std::path::Path;

// Named by the module docs' links only.
#[cfg(doc)]
use super::vrptw::MAX_VRPTW_NODES;
#[cfg(doc)]
use crate::model::{MAX_TOWNS, TravelSpec, load::MAX_DIMENSIONS};

/// Largest `DIMENSION` accepted with `EDGE_WEIGHT_TYPE: EXPLICIT` (the
/// matrix is held in full: 10 000 nodes is 10^8 entries).
pub const MAX_EXPLICIT_NODES: usize = 10_000;

/// Largest absolute coordinate accepted in `NODE_COORD_SECTION` and
/// `DISPLAY_DATA_SECTION` (the model's limit for planar coordinates, which
/// keeps every distance and route sum far inside `i64`).
pub const MAX_COORDINATE: f64 = 1e9;

/// Largest absolute coordinate under [`Rounding::Exact`]: every arc in
/// 1/10 000 units then stays below 2.9 × 10^9, inside the `u32` that
/// distance matrices and the solver's caches hold.
pub const MAX_EXACT_COORDINATE: f64 = 1e5;

/// Most vehicles a per-vehicle (PyVRP dialect) file may list.
pub const MAX_FLEET_VEHICLES: usize = 1_000_000;

pub use super::vrptw::VRPLIB_SPEED_KMH;
pub use write::write_vrp;

/// Reads a `.vrp` instance from text; `source_name` labels errors.
///
/// ```
/// let text = "NAME : tiny\nTYPE : CVRP\nDIMENSION : 3\nCAPACITY : 10\n\
///             EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n\
///             DEMAND_SECTION\n1 0\n2 4\n3 5\nDEPOT_SECTION\n1\n-1\nEOF\n";
/// let p = backroads::io::vrplib::read_vrp(text, "tiny.vrp")?;
/// assert_eq!(p.towns.len(), 2);
/// assert_eq!(p.towns[0].id, "2");
/// assert_eq!(p.fleet[0].capacity, 10);
/// # Ok::<(), backroads::Error>(())
/// ```
pub fn read_vrp(text: &str, source_name: &str) -> Result<Problem> {
    read_vrp_with(text, source_name, &ReadOptions::default())
}

/// [`read_vrp`] with [`ReadOptions`] (e.g. a distance convention other
/// than the file kind's default).
pub fn read_vrp_with(text: &str, source_name: &str, options: &ReadOptions) -> Result<Problem> {
    let mut r = Reader::new(source_name);
    for (i, raw) in text.lines().enumerate() {
        if !r.line(i + 1, raw)? {
            break;
        }
    }
    r.close_section()?;
    r.finish(options.rounding)
}

/// Reads a `.vrp` file (see [`read_vrp`]).
pub fn read_vrp_file(path: &Path) -> Result<Problem> {
    let text = super::read_input_text(path, super::DEFAULT_MAX_INPUT_BYTES)?;
    read_vrp(&text, &path.display().to_string())
}

/// The convention of an `EUC_2D` CVRP file: the caller's choice, else
/// exact for real-valued coordinates or a `DISTANCE` limit (when the
/// coordinates fit [`MAX_EXACT_COORDINATE`]), else nearest integer.
fn euclidean_rounding(chosen: Option<Rounding>, xy: &[(f64, f64)], has_limit: bool, src: &str) -> Result<Rounding> {
    let reach = xy.iter().fold(0.0f64, |m, &(x, y)| m.max(x.abs()).max(y.abs()));
    let fits_exact = reach <= MAX_EXACT_COORDINATE;
    let rounding = chosen.unwrap_or_else(|| {
        let real = xy.iter().any(|&(x, y)| x.fract() != 0.0 || y.fract() != 0.0);
        if (real || has_limit) && fits_exact {
            Rounding::Exact
        } else {
            Rounding::Nearest
        }
    });
    let limit = match rounding {
        Rounding::Nearest => MAX_COORDINATE,
        Rounding::Exact => MAX_EXACT_COORDINATE,
        Rounding::DimacsTenths => vrptw::MAX_VRPTW_COORDINATE,
    };
    if reach > limit {
        return Err(Error::parse(
            src,
            None,
            format!(
                "a coordinate of magnitude {reach} is beyond ±{limit:e}, the limit of the '{rounding}' distance \
                 convention (use rounding 'nearest')"
            ),
        ));
    }
    Ok(rounding)
}
