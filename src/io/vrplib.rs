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

use super::clip;
use super::files::ReadOptions;
use super::vrptw::{self, MAX_VRPTW_NODES, VrptwInstance, VrptwNode};
use crate::error::{Error, Result};
use crate::model::load::MAX_DIMENSIONS;
use crate::model::{
    Amount, DepotSpec, Location, MAX_TOWNS, PickupOrder, Problem, ProblemSpec, Rounding, TimeSpec, TownSpec, Travel,
    TravelSpec, VehicleTypeSpec,
};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

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

pub use super::vrptw::VRPLIB_SPEED_KMH;

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

/// Writes a planar, Euclidean, single-depot, single-vehicle-type problem as
/// a `.vrp` instance (`EUC_2D`): the depot is node 1, town `i` is node
/// `i + 2`. `SERVICE_TIME` is written when all towns share one non-zero
/// service time, `DISTANCE` from the vehicle's `max_distance`, `VEHICLES`
/// from its count (`DISTANCE` and `SERVICE_TIME` in instance units: the
/// model figures divided by the problem's [`Rounding::scale`]; reading the
/// file back applies the reader's default convention, see the module docs).
/// Problems that cannot be expressed this way (several
/// depots or vehicle types, geographic locations, other travel measures,
/// differing service times, a shift limit other than the one
/// [`read_vrp`] derives from `DISTANCE`) are refused with
/// [`Error::InvalidProblem`].
pub fn write_vrp(problem: &Problem) -> Result<String> {
    let refuse = |why: &str| {
        Err(Error::InvalidProblem(format!(
            "cannot write '{}' as VRPLIB: {why}",
            problem.name
        )))
    };
    if problem.depots.len() != 1 {
        return refuse("it has more than one depot");
    }
    if problem.fleet.len() != 1 {
        return refuse("it has more than one vehicle type");
    }
    if !matches!(problem.travel, Travel::Euclidean) {
        return refuse("only Euclidean travel can be written (EUC_2D)");
    }
    let vt = &problem.fleet[0];
    if let Some(why) = unwritable_rule(problem) {
        return refuse(why);
    }
    // Several capacity dimensions and pickups are PyVRP's dialect: per
    // vehicle capacities (which need the count) and a BACKHAUL_SECTION, read
    // back with nearest rounding and without DISTANCE.
    let dims = problem.dimensions();
    let pickups = problem.has_pickups();
    if dims > 1 && vt.count.is_none() {
        return refuse("several capacity dimensions are written per vehicle (CAPACITY_SECTION), which needs a count");
    }
    if (dims > 1 || pickups) && (vt.max_distance.is_some() || problem.rounding != Rounding::Nearest) {
        return refuse(
            "several capacity dimensions and pickups are written in PyVRP's dialect, which has no DISTANCE and reads \
             distances rounded to the nearest integer",
        );
    }
    let service = problem.towns.first().map_or(0, |t| t.service_time);
    if problem.towns.iter().any(|t| t.service_time != service) {
        return refuse("towns have different service times");
    }
    if let Some(d) = vt.max_duration
        && !(vt.max_distance == Some(d) && vt.speed_kmh == VRPLIB_SPEED_KMH)
    {
        return refuse("its shift limit (max_duration) has no VRPLIB equivalent");
    }
    let mut xy = Vec::with_capacity(problem.num_locations());
    for loc in problem.locations() {
        match loc {
            Location::Planar { x, y } => xy.push((x, y)),
            Location::Geo { .. } => return refuse("its locations are geographic, not planar"),
        }
    }
    let mut out = String::new();
    let name = if problem.name.trim().is_empty() {
        "unnamed"
    } else {
        problem.name.trim()
    };
    let _ = writeln!(out, "NAME : {name}");
    let kind = if pickups && problem.pickup_order == PickupOrder::DeliveriesFirst {
        "VRPB"
    } else {
        "CVRP"
    };
    let _ = writeln!(out, "TYPE : {kind}");
    let _ = writeln!(out, "DIMENSION : {}", xy.len());
    let _ = writeln!(out, "EDGE_WEIGHT_TYPE : EUC_2D");
    // One column per capacity dimension.
    let columns = |first: u32, extra: &[u32]| {
        std::iter::once(first)
            .chain(extra.iter().copied())
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if dims == 1 {
        let _ = writeln!(out, "CAPACITY : {}", vt.capacity);
    }
    // In instance units: the reader scales them back by its convention.
    let units = |v: i64| problem.rounding.to_instance(v);
    if let Some(d) = vt.max_distance {
        let _ = writeln!(out, "DISTANCE : {}", units(d));
    }
    if service > 0 {
        let _ = writeln!(out, "SERVICE_TIME : {}", units(i64::from(service)));
    }
    if let Some(c) = vt.count {
        let _ = writeln!(out, "VEHICLES : {c}");
    }
    out.push_str("NODE_COORD_SECTION\n");
    for (i, (x, y)) in xy.iter().enumerate() {
        let _ = writeln!(out, "{} {x} {y}", i + 1);
    }
    let zeros = vec![0; dims - 1];
    let _ = writeln!(out, "DEMAND_SECTION\n1 {}", columns(0, &zeros));
    for (i, t) in problem.towns.iter().enumerate() {
        let _ = writeln!(out, "{} {}", i + 2, columns(t.demand, &t.extra_demand));
    }
    if pickups {
        let _ = writeln!(out, "BACKHAUL_SECTION\n1 {}", columns(0, &zeros));
        for (i, t) in problem.towns.iter().enumerate() {
            let _ = writeln!(out, "{} {}", i + 2, columns(t.pickup, &t.extra_pickup));
        }
    }
    if dims > 1 {
        out.push_str("CAPACITY_SECTION\n");
        for k in 1..=vt.count.unwrap_or(0) {
            let _ = writeln!(out, "{k} {}", columns(vt.capacity, &vt.extra_capacity));
        }
    }
    out.push_str("DEPOT_SECTION\n1\n-1\nEOF\n");
    Ok(out)
}

/// The first rule of `problem` that a VRPLIB file of [`write_vrp`] cannot
/// state (it is refused rather than dropped).
fn unwritable_rule(problem: &Problem) -> Option<&'static str> {
    let vt = problem.fleet.first()?;
    let rules: [(bool, &'static str); 12] = [
        (problem.horizon_days.is_some(), "it is a multi-day plan"),
        (
            problem.towns.iter().any(|t| !t.windows.is_empty()),
            "towns have opening hours",
        ),
        (
            problem.towns.iter().any(|t| t.prize.is_some()),
            "some towns are optional (prizes)",
        ),
        (problem.towns.iter().any(|t| t.release > 0), "towns have release times"),
        (
            problem.towns.iter().any(|t| !t.allowed_types.is_empty()),
            "towns name their vehicle types",
        ),
        (problem.towns.iter().any(|t| t.priority > 0), "towns have priorities"),
        (!vt.reload_depots.is_empty(), "its vehicles reload"),
        (!vt.breaks.is_empty(), "its drivers take breaks"),
        (
            vt.fixed_cost != 0 || vt.cost_per_km != 0.0 || vt.cost_per_hour != 0.0,
            "its vehicles have money costs",
        ),
        (!vt.shift.is_always(), "its vehicles have a shift"),
        (
            vt.max_stops.is_some() || vt.max_overtime > 0,
            "its vehicles have a stop limit or overtime",
        ),
        (
            vt.end != crate::model::RouteEnd::Depot(vt.depot),
            "its routes end elsewhere",
        ),
    ];
    rules.iter().find(|r| r.0).map(|r| r.1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sec {
    Coords,
    Display,
    Demand,
    Depot,
    Weights,
    TimeWindows,
    ServiceTimes,
    /// `BACKHAUL_SECTION` (`id pickup`, PyVRP's dialect).
    Backhaul,
    /// `PRIZE_SECTION` (`id prize`, PyVRP's dialect: optional clients).
    Prize,
    /// `RELEASE_TIME_SECTION` (`id time`, PyVRP's dialect).
    Release,
    /// Per-vehicle sections of PyVRP's dialect (`k value…`, k = 1..=VEHICLES).
    Vehicle(VehSec),
}

/// The per-vehicle sections of PyVRP's VRPLIB dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum VehSec {
    Capacity,
    FixedCost,
    UnitDistanceCost,
    Depot,
    MaxDuration,
    AllowedClients,
    ReloadDepot,
    MaxReloads,
}

impl VehSec {
    const ALL: [VehSec; 8] = [
        VehSec::Capacity,
        VehSec::FixedCost,
        VehSec::UnitDistanceCost,
        VehSec::Depot,
        VehSec::MaxDuration,
        VehSec::AllowedClients,
        VehSec::ReloadDepot,
        VehSec::MaxReloads,
    ];
    fn name(self) -> &'static str {
        match self {
            VehSec::Capacity => "CAPACITY_SECTION",
            VehSec::FixedCost => "VEHICLES_FIXED_COST_SECTION",
            VehSec::UnitDistanceCost => "VEHICLES_UNIT_DISTANCE_COST_SECTION",
            VehSec::Depot => "VEHICLES_DEPOT_SECTION",
            VehSec::MaxDuration => "VEHICLES_MAX_DURATION_SECTION",
            VehSec::AllowedClients => "VEHICLES_ALLOWED_CLIENTS_SECTION",
            VehSec::ReloadDepot => "VEHICLES_RELOAD_DEPOT_SECTION",
            VehSec::MaxReloads => "VEHICLES_MAX_RELOADS_SECTION",
        }
    }
}

impl Sec {
    fn from_keyword(kw: &str) -> Option<Sec> {
        Some(match kw {
            "NODE_COORD_SECTION" => Sec::Coords,
            "DISPLAY_DATA_SECTION" => Sec::Display,
            "DEMAND_SECTION" => Sec::Demand,
            "DEPOT_SECTION" => Sec::Depot,
            "EDGE_WEIGHT_SECTION" => Sec::Weights,
            "TIME_WINDOW_SECTION" => Sec::TimeWindows,
            "SERVICE_TIME_SECTION" => Sec::ServiceTimes,
            "BACKHAUL_SECTION" => Sec::Backhaul,
            "PRIZE_SECTION" => Sec::Prize,
            "RELEASE_TIME_SECTION" => Sec::Release,
            _ => return VehSec::ALL.into_iter().find(|v| v.name() == kw).map(Sec::Vehicle),
        })
    }
    fn name(self) -> &'static str {
        match self {
            Sec::Coords => "NODE_COORD_SECTION",
            Sec::Display => "DISPLAY_DATA_SECTION",
            Sec::Demand => "DEMAND_SECTION",
            Sec::Depot => "DEPOT_SECTION",
            Sec::Weights => "EDGE_WEIGHT_SECTION",
            Sec::TimeWindows => "TIME_WINDOW_SECTION",
            Sec::ServiceTimes => "SERVICE_TIME_SECTION",
            Sec::Backhaul => "BACKHAUL_SECTION",
            Sec::Prize => "PRIZE_SECTION",
            Sec::Release => "RELEASE_TIME_SECTION",
            Sec::Vehicle(v) => v.name(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EdgeWeightType {
    Euc2d,
    Explicit,
}

/// The nine TSPLIB layouts of an explicit matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WeightFormat {
    Full,
    LowerRow,
    LowerDiagRow,
    UpperRow,
    UpperDiagRow,
    LowerCol,
    LowerDiagCol,
    UpperCol,
    UpperDiagCol,
}

impl WeightFormat {
    fn parse(s: &str) -> Option<WeightFormat> {
        Some(match s {
            "FULL_MATRIX" => WeightFormat::Full,
            "LOWER_ROW" => WeightFormat::LowerRow,
            "LOWER_DIAG_ROW" => WeightFormat::LowerDiagRow,
            "UPPER_ROW" => WeightFormat::UpperRow,
            "UPPER_DIAG_ROW" => WeightFormat::UpperDiagRow,
            "LOWER_COL" => WeightFormat::LowerCol,
            "LOWER_DIAG_COL" => WeightFormat::LowerDiagCol,
            "UPPER_COL" => WeightFormat::UpperCol,
            "UPPER_DIAG_COL" => WeightFormat::UpperDiagCol,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            WeightFormat::Full => "FULL_MATRIX",
            WeightFormat::LowerRow => "LOWER_ROW",
            WeightFormat::LowerDiagRow => "LOWER_DIAG_ROW",
            WeightFormat::UpperRow => "UPPER_ROW",
            WeightFormat::UpperDiagRow => "UPPER_DIAG_ROW",
            WeightFormat::LowerCol => "LOWER_COL",
            WeightFormat::LowerDiagCol => "LOWER_DIAG_COL",
            WeightFormat::UpperCol => "UPPER_COL",
            WeightFormat::UpperDiagCol => "UPPER_DIAG_COL",
        }
    }

    /// Number of entries the format holds for `n` nodes.
    fn count(self, n: usize) -> usize {
        match self {
            WeightFormat::Full => n * n,
            WeightFormat::LowerRow | WeightFormat::UpperRow | WeightFormat::LowerCol | WeightFormat::UpperCol => {
                n * n.saturating_sub(1) / 2
            }
            _ => n * (n + 1) / 2,
        }
    }

    /// Expands the entries (exactly `count(n)` of them) into a full
    /// row-major matrix; triangular formats are mirrored.
    fn expand(self, n: usize, vals: &[f64]) -> Vec<f64> {
        if self == WeightFormat::Full {
            return vals.to_vec();
        }
        let mut m = vec![0.0; n * n];
        let mut k = 0;
        let mut put = |m: &mut [f64], i: usize, j: usize| {
            let v = vals.get(k).copied().unwrap_or(0.0);
            k += 1;
            m[i * n + j] = v;
            m[j * n + i] = v;
        };
        // (outer, inner range) visiting order; cells are (row, col).
        for a in 0..n {
            let (lo, hi) = match self {
                WeightFormat::LowerRow | WeightFormat::UpperCol => (0, a),
                WeightFormat::LowerDiagRow | WeightFormat::UpperDiagCol => (0, a + 1),
                WeightFormat::UpperRow | WeightFormat::LowerCol => (a + 1, n),
                WeightFormat::UpperDiagRow | WeightFormat::LowerDiagCol => (a, n),
                WeightFormat::Full => (0, 0),
            };
            for b in lo..hi {
                // Row formats list row `a`; column formats list column `a`.
                // For symmetric filling the two are the same cells.
                put(&mut m, a, b);
            }
        }
        m
    }
}

/// One row's amounts in up to [`MAX_DIMENSIONS`] capacity dimensions: the
/// columns after the id of `DEMAND_SECTION`, `BACKHAUL_SECTION` and
/// `CAPACITY_SECTION` (PyVRP's dialect writes one column per dimension).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Columns {
    values: [f64; MAX_DIMENSIONS],
    len: usize,
}

impl Columns {
    fn one(x: f64) -> Columns {
        let mut values = [0.0; MAX_DIMENSIONS];
        values[0] = x;
        Columns { values, len: 1 }
    }

    fn as_slice(&self) -> &[f64] {
        &self.values[..self.len]
    }

    /// The model's amount: a number for one dimension, else a list.
    fn amount(&self) -> Amount {
        if self.len == 1 {
            Amount::One(self.values[0])
        } else {
            Amount::Several(self.as_slice().to_vec())
        }
    }
}

/// Rows of a per-node section: (0-based node, line, value).
#[derive(Debug)]
struct NodeRows<T> {
    line: usize,
    rows: Vec<(usize, usize, T)>,
}

#[derive(Debug)]
struct DepotRows {
    line: usize,
    nodes: Vec<(usize, usize)>,
    /// Line of each depot node, to spot repeats without a quadratic scan.
    first_line: HashMap<usize, usize>,
    terminated: bool,
}

#[derive(Debug)]
struct Weights {
    line: usize,
    format: WeightFormat,
    expected: usize,
    values: Vec<f64>,
}

/// Line-by-line state of the reader.
struct Reader<'a> {
    src: &'a str,
    name: Option<String>,
    dimension: Option<usize>,
    capacity: Option<f64>,
    ew_type: Option<EdgeWeightType>,
    ew_format: Option<(String, usize)>,
    distance: Option<f64>,
    service_time: Option<f64>,
    vehicles: Option<i64>,
    coords: Option<NodeRows<(f64, f64)>>,
    display: Option<NodeRows<(f64, f64)>>,
    demand: Option<NodeRows<Columns>>,
    depots: Option<DepotRows>,
    weights: Option<Weights>,
    windows: Option<NodeRows<(f64, f64)>>,
    services: Option<NodeRows<f64>>,
    backhauls: Option<NodeRows<Columns>>,
    prizes: Option<NodeRows<f64>>,
    releases: Option<NodeRows<f64>>,
    /// Line of a `TYPE : VRPTW` header.
    vrptw_type: Option<usize>,
    /// `TYPE` of PyVRP's dialect (HFVRP, MDVRPTW, SDVRPTW).
    variant: Option<String>,
    /// `VEHICLES_MAX_DURATION : value` (every vehicle).
    max_duration: Option<f64>,
    /// Per-vehicle sections: (line of the keyword, rows of (vehicle, line, values)).
    vehicle_rows: HashMap<VehSec, VehicleRows>,
    current: Option<Sec>,
}

/// A per-vehicle section: the keyword's line and rows of (vehicle, line, values).
type VehicleRows = (usize, Vec<(usize, usize, Vec<f64>)>);

/// `TYPE`s of PyVRP's VRPLIB dialect read with per-vehicle data.
const FLEET_TYPES: &[&str] = &[
    "HFVRP", "MDVRPTW", "SDVRPTW", "MDVRP", "HFVRPTW", "VRPB", "PCVRPTW", "PCVRP", "MTVRPTWR", "MTVRPTW", "MTVRP",
];

const KNOWN_KEYS: &[&str] = &[
    "NAME",
    "TYPE",
    "COMMENT",
    "DIMENSION",
    "CAPACITY",
    "EDGE_WEIGHT_TYPE",
    "EDGE_WEIGHT_FORMAT",
    "DISTANCE",
    "SERVICE_TIME",
    "VEHICLES",
    "NODE_COORD_TYPE",
    "DISPLAY_DATA_TYPE",
    "VEHICLES_MAX_DURATION",
];

fn starts_numeric(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Self {
        Reader {
            src,
            name: None,
            dimension: None,
            capacity: None,
            ew_type: None,
            ew_format: None,
            distance: None,
            service_time: None,
            vehicles: None,
            coords: None,
            display: None,
            demand: None,
            depots: None,
            weights: None,
            windows: None,
            services: None,
            backhauls: None,
            prizes: None,
            releases: None,
            vrptw_type: None,
            variant: None,
            max_duration: None,
            vehicle_rows: HashMap::new(),
            current: None,
        }
    }

    /// `NAME`, or the source's name when the file has none.
    fn instance_name(&self) -> String {
        self.name
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.src.to_string())
    }

    fn err(&self, line: usize, msg: impl Into<String>) -> Error {
        Error::parse(self.src, Some(line), msg)
    }

    fn err_no_line(&self, msg: impl Into<String>) -> Error {
        Error::parse(self.src, None, msg)
    }

    /// Handles one line; returns false at `EOF`.
    fn line(&mut self, no: usize, raw: &str) -> Result<bool> {
        let line = raw.trim();
        if line.is_empty() {
            return Ok(true);
        }
        if starts_numeric(line) {
            return match self.current {
                Some(sec) => self.data(sec, no, line),
                None => Err(self.err(no, format!("data line '{}' outside of any section", clip(line)))),
            };
        }
        // A keyword line ends the current section.
        let prev = self.current;
        self.close_section()?;
        let kw_end = line.find(|c: char| c == ':' || c.is_whitespace()).unwrap_or(line.len());
        let key = line[..kw_end].to_ascii_uppercase();
        let rest = line[kw_end..].trim_start();
        let (had_colon, value) = match rest.strip_prefix(':') {
            Some(v) => (true, v.trim()),
            None => (false, rest),
        };
        if key == "EOF" {
            return Ok(false);
        }
        if let Some(sec) = Sec::from_keyword(&key) {
            self.open_section(sec, no)?;
            return Ok(true);
        }
        if key.ends_with("_SECTION") {
            return Err(self.err(no, format!("unsupported section {key}")));
        }
        if !had_colon && !KNOWN_KEYS.contains(&key.as_str()) {
            return Err(self.err(
                no,
                match prev.map(Sec::name) {
                    Some(s) => format!(
                        "expected a data row of {s} or a 'KEY : value' line, found '{}'",
                        clip(line)
                    ),
                    None => format!("expected a 'KEY : value' line, found '{}'", clip(line)),
                },
            ));
        }
        self.header(no, &key, value)?;
        Ok(true)
    }

    fn header(&mut self, no: usize, key: &str, value: &str) -> Result<()> {
        let needs_value = !matches!(key, "COMMENT" | "NAME") && KNOWN_KEYS.contains(&key);
        if needs_value && value.is_empty() {
            return Err(self.err(no, format!("{key} has no value")));
        }
        match key {
            "NAME" => self.name = Some(value.to_string()),
            "TYPE" => {
                let t = value.to_ascii_uppercase();
                if t == "VRPTW" || t == "CVRPTW" {
                    self.vrptw_type = Some(no);
                } else if FLEET_TYPES.contains(&t.as_str()) {
                    self.variant = Some(t);
                } else if t != "CVRP" && t != "ACVRP" {
                    return Err(self.err(
                        no,
                        format!(
                            "unsupported TYPE '{value}': CVRP (and ACVRP), VRPTW and PyVRP's {} can be read from \
                             VRPLIB files",
                            FLEET_TYPES.join(", ")
                        ),
                    ));
                }
            }
            "DIMENSION" => {
                if self.dimension.is_some() {
                    return Err(self.err(no, "DIMENSION given twice"));
                }
                let n: u64 = match value.parse::<u64>() {
                    Ok(n) => n,
                    Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
                    Err(_) => {
                        return Err(self.err(no, format!("DIMENSION '{}' is not a whole number", clip(value))));
                    }
                };
                let limit = MAX_TOWNS as u64 + 1;
                if n > limit {
                    return Err(Error::TooLarge {
                        what: "VRPLIB DIMENSION (number of nodes)",
                        value: n,
                        limit,
                    });
                }
                if n < 2 {
                    return Err(self.err(no, format!("DIMENSION {n} leaves no room for a depot and a customer")));
                }
                self.dimension = Some(n as usize);
            }
            "CAPACITY" => {
                let c = self.number(value, "CAPACITY", no)?;
                if c <= 0.0 {
                    return Err(self.err(no, format!("CAPACITY must be positive, got {value}")));
                }
                self.capacity = Some(c);
            }
            "EDGE_WEIGHT_TYPE" => {
                self.ew_type = Some(match value.to_ascii_uppercase().as_str() {
                    "EUC_2D" => EdgeWeightType::Euc2d,
                    "EXPLICIT" => EdgeWeightType::Explicit,
                    _ => {
                        return Err(self.err(
                            no,
                            format!("unsupported EDGE_WEIGHT_TYPE '{value}' (supported: EUC_2D, EXPLICIT)"),
                        ));
                    }
                });
            }
            "EDGE_WEIGHT_FORMAT" => self.ew_format = Some((value.to_ascii_uppercase(), no)),
            "DISTANCE" => {
                let d = self.number(value, "DISTANCE", no)?;
                if d <= 0.0 {
                    return Err(self.err(no, format!("DISTANCE must be positive, got {value}")));
                }
                self.distance = Some(d);
            }
            "SERVICE_TIME" => {
                let s = self.number(value, "SERVICE_TIME", no)?;
                if s < 0.0 {
                    return Err(self.err(no, format!("SERVICE_TIME must not be negative, got {value}")));
                }
                self.service_time = Some(s);
            }
            "VEHICLES_MAX_DURATION" => {
                let d = self.number(value, "VEHICLES_MAX_DURATION", no)?;
                if d <= 0.0 {
                    return Err(self.err(no, format!("VEHICLES_MAX_DURATION must be positive, got {value}")));
                }
                self.max_duration = Some(d);
            }
            "VEHICLES" if self.vehicles.is_some() => return Err(self.err(no, "VEHICLES given twice")),
            "VEHICLES" => match value.parse::<i64>() {
                Ok(v) if v >= 1 && v <= i64::from(u32::MAX) => self.vehicles = Some(v),
                _ => {
                    return Err(self.err(
                        no,
                        format!("VEHICLES must be a whole number >= 1, got '{}'", clip(value)),
                    ));
                }
            },
            _ => {} // COMMENT, NODE_COORD_TYPE, unknown keys: ignored.
        }
        self.check_explicit_size()
    }

    fn check_explicit_size(&self) -> Result<()> {
        if let (Some(n), Some(EdgeWeightType::Explicit)) = (self.dimension, self.ew_type)
            && n > MAX_EXPLICIT_NODES
        {
            return Err(Error::TooLarge {
                what: "VRPLIB DIMENSION with EDGE_WEIGHT_TYPE EXPLICIT",
                value: n as u64,
                limit: MAX_EXPLICIT_NODES as u64,
            });
        }
        if let Some(n) = self.dimension
            && self.is_vrptw()
            && n > MAX_VRPTW_NODES
        {
            return Err(Error::TooLarge {
                what: "VRPLIB DIMENSION of a time-window (VRPTW) instance",
                value: n as u64,
                limit: MAX_VRPTW_NODES as u64,
            });
        }
        Ok(())
    }

    /// True once the file says it has time windows.
    fn is_vrptw(&self) -> bool {
        self.vrptw_type.is_some() || self.windows.is_some()
    }

    fn number(&self, tok: &str, what: &str, no: usize) -> Result<f64> {
        match tok.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.err(no, format!("{what}: '{}' is not a number", clip(tok)))),
        }
    }

    /// A planar coordinate: finite and within ±[`MAX_COORDINATE`].
    fn coordinate(&self, tok: &str, sec: Sec, axis: &str, no: usize) -> Result<f64> {
        let v = self.number(tok, &format!("{} {axis} coordinate", sec.name()), no)?;
        if v.abs() > MAX_COORDINATE {
            return Err(self.err(
                no,
                format!("{}: {axis} coordinate {} is outside -1e9..=1e9", sec.name(), clip(tok)),
            ));
        }
        Ok(v)
    }

    /// Parses a 1-based node id into a 0-based index.
    fn node(&self, tok: &str, sec: Sec, no: usize) -> Result<usize> {
        let n = self.dimension.unwrap_or(0);
        match tok.parse::<u64>() {
            Ok(id) if id >= 1 && id <= n as u64 => Ok(id as usize - 1),
            Ok(id) => Err(self.err(
                no,
                format!("{}: node id {id} is out of range 1..={n} (DIMENSION {n})", sec.name()),
            )),
            Err(_) => Err(self.err(
                no,
                format!("{}: node id '{}' is not a positive whole number", sec.name(), clip(tok)),
            )),
        }
    }

    fn open_section(&mut self, sec: Sec, no: usize) -> Result<()> {
        if self.dimension.is_none() {
            return Err(self.err(no, format!("{} before DIMENSION", sec.name())));
        }
        let given = match sec {
            Sec::Coords => self.coords.is_some(),
            Sec::Display => self.display.is_some(),
            Sec::Demand => self.demand.is_some(),
            Sec::Depot => self.depots.is_some(),
            Sec::Weights => self.weights.is_some(),
            Sec::TimeWindows => self.windows.is_some(),
            Sec::ServiceTimes => self.services.is_some(),
            Sec::Backhaul => self.backhauls.is_some(),
            Sec::Prize => self.prizes.is_some(),
            Sec::Release => self.releases.is_some(),
            Sec::Vehicle(v) => self.vehicle_rows.contains_key(&v),
        };
        if given {
            return Err(self.err(no, format!("{} given twice", sec.name())));
        }
        match sec {
            Sec::Coords => {
                self.coords = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Display => {
                self.display = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Demand => {
                self.demand = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Depot => {
                self.depots = Some(DepotRows {
                    line: no,
                    nodes: Vec::new(),
                    first_line: HashMap::new(),
                    terminated: false,
                })
            }
            Sec::Weights => {
                if self.ew_type != Some(EdgeWeightType::Explicit) {
                    return Err(self.err(no, "EDGE_WEIGHT_SECTION needs EDGE_WEIGHT_TYPE : EXPLICIT before it"));
                }
                let Some((fmt, fline)) = self.ew_format.clone() else {
                    return Err(self.err(no, "EDGE_WEIGHT_SECTION needs an EDGE_WEIGHT_FORMAT before it"));
                };
                let Some(format) = WeightFormat::parse(&fmt) else {
                    return Err(self.err(
                        fline,
                        format!(
                            "unsupported EDGE_WEIGHT_FORMAT '{fmt}' (supported: FULL_MATRIX, LOWER_ROW, LOWER_DIAG_ROW, \
                             UPPER_ROW, UPPER_DIAG_ROW, LOWER_COL, LOWER_DIAG_COL, UPPER_COL, UPPER_DIAG_COL)"
                        ),
                    ));
                };
                self.check_explicit_size()?;
                let n = self.dimension.unwrap_or(0);
                self.weights = Some(Weights {
                    line: no,
                    format,
                    expected: format.count(n),
                    values: Vec::new(),
                });
            }
            Sec::TimeWindows => {
                self.windows = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                });
                self.check_explicit_size()?;
            }
            Sec::ServiceTimes => {
                self.services = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Backhaul => {
                self.backhauls = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Prize | Sec::Release => {
                let rows = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                });
                match sec {
                    Sec::Prize => self.prizes = rows,
                    _ => self.releases = rows,
                }
            }
            Sec::Vehicle(v) => {
                if self.vehicles.is_none() {
                    return Err(self.err(no, format!("{} before VEHICLES", v.name())));
                }
                self.vehicle_rows.insert(v, (no, Vec::new()));
            }
        }
        self.current = Some(sec);
        Ok(())
    }

    fn data(&mut self, sec: Sec, no: usize, line: &str) -> Result<bool> {
        let n = self.dimension.unwrap_or(0);
        let toks: Vec<&str> = line.split_whitespace().collect();
        match sec {
            Sec::Coords | Sec::Display => {
                if toks.len() != 3 {
                    return Err(self.err(
                        no,
                        format!("{}: expected 'id x y', found {} fields", sec.name(), toks.len()),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let x = self.coordinate(toks[1], sec, "x", no)?;
                let y = self.coordinate(toks[2], sec, "y", no)?;
                if sec == Sec::Coords
                    && self.is_vrptw()
                    && let Some(why) = vrptw::coordinate_problem("x", x).or_else(|| vrptw::coordinate_problem("y", y))
                {
                    return Err(self.err(no, format!("{}: node {}: {why}", sec.name(), id + 1)));
                }
                let table = if sec == Sec::Coords {
                    &mut self.coords
                } else {
                    &mut self.display
                };
                if let Some(t) = table {
                    if t.rows.len() >= n {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("{} has more rows than DIMENSION {n}", sec.name()),
                        ));
                    }
                    t.rows.push((id, no, (x, y)));
                }
            }
            Sec::Demand | Sec::Backhaul => {
                let what = if sec == Sec::Demand { "demand" } else { "pickup" };
                let (id, amounts) = self.amount_row(sec, what, &toks, no)?;
                let table = if sec == Sec::Demand {
                    &mut self.demand
                } else {
                    &mut self.backhauls
                };
                if let Some(t) = table {
                    if t.rows.len() >= n {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("{} has more rows than DIMENSION {n}", sec.name()),
                        ));
                    }
                    if let Some(&(_, first_line, first)) = t.rows.first()
                        && first.len != amounts.len
                    {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!(
                                "{}: {} {what} column{} here, {} on line {first_line}",
                                sec.name(),
                                amounts.len,
                                if amounts.len == 1 { "" } else { "s" },
                                first.len
                            ),
                        ));
                    }
                    t.rows.push((id, no, amounts));
                }
            }
            Sec::Depot => {
                for tok in toks {
                    if self.depots.as_ref().is_some_and(|d| d.terminated) {
                        return Err(self.err(no, format!("DEPOT_SECTION: '{}' after the closing -1", clip(tok))));
                    }
                    if tok == "-1" {
                        if let Some(d) = &mut self.depots {
                            d.terminated = true;
                        }
                        continue;
                    }
                    let id = self.node(tok, sec, no)?;
                    if let Some(d) = &mut self.depots {
                        if let Some(&first) = d.first_line.get(&id) {
                            return Err(Error::parse(
                                self.src,
                                Some(no),
                                format!("DEPOT_SECTION: depot {} listed twice (first on line {first})", id + 1),
                            ));
                        }
                        d.nodes.push((id, no));
                        d.first_line.insert(id, no);
                    }
                }
            }
            Sec::TimeWindows => {
                if toks.len() != 3 {
                    return Err(self.err(
                        no,
                        format!(
                            "TIME_WINDOW_SECTION: expected 'id ready due', found {} fields",
                            toks.len()
                        ),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let ready = self.number(toks[1], "TIME_WINDOW_SECTION ready time", no)?;
                let due = self.number(toks[2], "TIME_WINDOW_SECTION due date", no)?;
                if let Some(why) = vrptw::window_problem(ready, due) {
                    return Err(self.err(no, format!("TIME_WINDOW_SECTION: node {}: {why}", id + 1)));
                }
                if let Some(t) = &mut self.windows {
                    if t.rows.len() >= n {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("TIME_WINDOW_SECTION has more rows than DIMENSION {n}"),
                        ));
                    }
                    t.rows.push((id, no, (ready, due)));
                }
            }
            Sec::ServiceTimes => {
                if toks.len() != 2 {
                    return Err(self.err(
                        no,
                        format!(
                            "SERVICE_TIME_SECTION: expected 'id service', found {} fields",
                            toks.len()
                        ),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let s = self.number(toks[1], "SERVICE_TIME_SECTION service time", no)?;
                if let Some(why) = vrptw::time_problem("service time", s) {
                    return Err(self.err(no, format!("SERVICE_TIME_SECTION: node {}: {why}", id + 1)));
                }
                if let Some(t) = &mut self.services {
                    if t.rows.len() >= n {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("SERVICE_TIME_SECTION has more rows than DIMENSION {n}"),
                        ));
                    }
                    t.rows.push((id, no, s));
                }
            }
            Sec::Prize | Sec::Release => {
                let what = if sec == Sec::Prize { "prize" } else { "release time" };
                if toks.len() != 2 {
                    return Err(self.err(
                        no,
                        format!("{}: expected 'id {what}', found {} fields", sec.name(), toks.len()),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let x = self.number(toks[1], what, no)?;
                if x < 0.0 {
                    return Err(self.err(
                        no,
                        format!("{}: negative {what} {} for node {}", sec.name(), toks[1], id + 1),
                    ));
                }
                if sec == Sec::Release
                    && let Some(why) = vrptw::time_problem("release time", x)
                {
                    return Err(self.err(no, format!("{}: node {}: {why}", sec.name(), id + 1)));
                }
                let table = if sec == Sec::Prize {
                    &mut self.prizes
                } else {
                    &mut self.releases
                };
                if let Some(t) = table {
                    if t.rows.len() >= n {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("{} has more rows than DIMENSION {n}", sec.name()),
                        ));
                    }
                    t.rows.push((id, no, x));
                }
            }
            Sec::Vehicle(vs) => {
                let k = self.vehicles.unwrap_or(0) as usize;
                let vehicle = match toks[0].parse::<usize>() {
                    Ok(v) if (1..=k).contains(&v) => v - 1,
                    _ => {
                        return Err(self.err(
                            no,
                            format!(
                                "{}: vehicle '{}' is not within 1..={k} (VEHICLES)",
                                vs.name(),
                                clip(toks[0])
                            ),
                        ));
                    }
                };
                let list = matches!(vs, VehSec::AllowedClients | VehSec::ReloadDepot);
                // A capacity has a column per dimension.
                let most = if vs == VehSec::Capacity { MAX_DIMENSIONS } else { 1 };
                if !list && !(2..=1 + most).contains(&toks.len()) {
                    let expected = if most > 1 {
                        format!("'vehicle capacity…' (1 to {most} columns)")
                    } else {
                        "'vehicle value'".to_string()
                    };
                    return Err(self.err(
                        no,
                        format!("{}: expected {expected}, found {} fields", vs.name(), toks.len()),
                    ));
                }
                let mut values = Vec::with_capacity(toks.len() - 1);
                for tok in &toks[1..] {
                    let x = self.number(tok, vs.name(), no)?;
                    if x < 0.0 || (list && (x.fract() != 0.0 || x < 1.0 || x > n as f64)) {
                        return Err(self.err(no, format!("{}: bad value '{}'", vs.name(), clip(tok))));
                    }
                    values.push(x);
                }
                if let Some((_, rows)) = self.vehicle_rows.get_mut(&vs) {
                    if rows.len() >= k {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("{} has more rows than VEHICLES {k}", vs.name()),
                        ));
                    }
                    rows.push((vehicle, no, values));
                }
            }
            Sec::Weights => {
                for tok in toks {
                    let v = self.number(tok, "EDGE_WEIGHT_SECTION entry", no)?;
                    if v < 0.0 {
                        return Err(self.err(no, format!("EDGE_WEIGHT_SECTION: negative weight {tok}")));
                    }
                    if let Some(w) = &mut self.weights {
                        if w.values.len() >= w.expected {
                            return Err(Error::parse(
                                self.src,
                                Some(no),
                                format!(
                                    "EDGE_WEIGHT_SECTION has more than the {} entries that {} needs for DIMENSION {n}",
                                    w.expected,
                                    w.format.name()
                                ),
                            ));
                        }
                        w.values.push(v);
                    }
                }
            }
        }
        Ok(true)
    }

    /// A row `id amount…` of `DEMAND_SECTION` or `BACKHAUL_SECTION`: one
    /// non-negative column per capacity dimension (1 to [`MAX_DIMENSIONS`]).
    fn amount_row(&self, sec: Sec, what: &str, toks: &[&str], no: usize) -> Result<(usize, Columns)> {
        if !(2..=1 + MAX_DIMENSIONS).contains(&toks.len()) {
            return Err(self.err(
                no,
                format!(
                    "{}: expected 'id {what}' with 1 to {MAX_DIMENSIONS} {what} columns (one per capacity \
                     dimension), found {} fields",
                    sec.name(),
                    toks.len()
                ),
            ));
        }
        let id = self.node(toks[0], sec, no)?;
        let mut amounts = Columns::one(0.0);
        amounts.len = toks.len() - 1;
        for (d, tok) in toks[1..].iter().enumerate() {
            let x = self.number(tok, what, no)?;
            if x < 0.0 {
                let message = if sec == Sec::Demand {
                    format!("negative demand {tok} for node {}", id + 1)
                } else {
                    format!("{}: negative {what} {tok} for node {}", sec.name(), id + 1)
                };
                return Err(self.err(no, message));
            }
            amounts.values[d] = x;
        }
        Ok((id, amounts))
    }

    /// Ends the current section (nothing to check here: completeness is
    /// checked once at the end, where every section is known).
    fn close_section(&mut self) -> Result<()> {
        self.current = None;
        Ok(())
    }

    /// Checks a per-node section is complete and unique; returns values by node.
    fn complete<T: Copy>(&self, sec: Sec, table: Option<&NodeRows<T>>, n: usize) -> Result<Option<Vec<T>>> {
        let Some(t) = table else { return Ok(None) };
        let mut rows: Vec<&(usize, usize, T)> = t.rows.iter().collect();
        rows.sort_by_key(|r| (r.0, r.1));
        for w in rows.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(self.err(
                    w[1].1,
                    format!(
                        "{}: node {} given twice (first on line {})",
                        sec.name(),
                        w[0].0 + 1,
                        w[0].1
                    ),
                ));
            }
        }
        if rows.len() < n {
            let missing = rows
                .iter()
                .enumerate()
                .find(|(i, r)| r.0 != *i)
                .map_or(rows.len(), |(i, _)| i);
            return Err(self.err(
                t.line,
                format!(
                    "{} is truncated: {} of DIMENSION {n} nodes given (node {} missing)",
                    sec.name(),
                    rows.len(),
                    missing + 1
                ),
            ));
        }
        Ok(Some(rows.iter().map(|r| r.2).collect()))
    }

    fn finish(self, rounding: Option<Rounding>) -> Result<Problem> {
        let n = self.dimension.ok_or_else(|| self.err_no_line("DIMENSION missing"))?;
        if self.variant.is_some()
            || !self.vehicle_rows.is_empty()
            || self.max_duration.is_some()
            || self.backhauls.is_some()
            || self.prizes.is_some()
            || self.releases.is_some()
        {
            return self.finish_fleet(n, rounding);
        }
        let capacity = self.capacity.ok_or_else(|| self.err_no_line("CAPACITY missing"))?;
        let ew = self
            .ew_type
            .ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE missing"))?;
        let demand = self
            .complete(Sec::Demand, self.demand.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("DEMAND_SECTION missing"))?;
        let demand = self.one_dimension(&demand)?;
        let coords = self.complete(Sec::Coords, self.coords.as_ref(), n)?;
        let display = self.complete(Sec::Display, self.display.as_ref(), n)?;
        let xy = match ew {
            EdgeWeightType::Euc2d => {
                coords.ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE EUC_2D needs a NODE_COORD_SECTION"))?
            }
            EdgeWeightType::Explicit => coords.or(display).unwrap_or_else(|| vec![(0.0, 0.0); n]),
        };
        let depots: Vec<usize> = match &self.depots {
            None => vec![0],
            Some(d) if d.nodes.is_empty() => return Err(self.err(d.line, "DEPOT_SECTION lists no depot")),
            Some(d) => d.nodes.iter().map(|&(v, _)| v).collect(),
        };
        if depots.len() >= n {
            return Err(self.err_no_line("every node is a depot: no customer to serve"));
        }
        if self.is_vrptw() {
            if let Some(r) = rounding.filter(|&r| r != Rounding::DimacsTenths) {
                return Err(self.err_no_line(format!(
                    "time-window (VRPTW) instances are read in DIMACS tenths only, not with rounding '{r}'"
                )));
            }
            return self.finish_vrptw(n, capacity, ew, &xy, &demand, &depots);
        }
        let rounding = match ew {
            EdgeWeightType::Euc2d => euclidean_rounding(rounding, &xy, self.distance.is_some(), self.src)?,
            EdgeWeightType::Explicit => match rounding {
                None | Some(Rounding::Nearest) => Rounding::Nearest,
                Some(r) => {
                    return Err(self.err_no_line(format!(
                        "rounding '{r}' applies to EUC_2D coordinates; EXPLICIT weights are rounded to the \
                         nearest integer"
                    )));
                }
            },
        };
        // Limits and service times in model units (the convention's scale).
        let limit = self.distance.map(|d| rounding.limit(d));
        let scale = rounding.scale() as f64;
        let matrix = match ew {
            EdgeWeightType::Euc2d => None,
            EdgeWeightType::Explicit => {
                let w = self
                    .weights
                    .as_ref()
                    .ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_SECTION"))?;
                if w.values.len() < w.expected {
                    return Err(self.err(
                        w.line,
                        format!(
                            "EDGE_WEIGHT_SECTION is truncated: {} of the {} entries that {} needs for DIMENSION {n}",
                            w.values.len(),
                            w.expected,
                            w.format.name()
                        ),
                    ));
                }
                Some(w.format.expand(n, &w.values))
            }
        };

        let mut is_depot = vec![false; n];
        for &d in &depots {
            is_depot[d] = true;
        }
        // Location order: depots (in DEPOT_SECTION order), then towns by node.
        let order: Vec<usize> = depots.iter().copied().chain((0..n).filter(|&v| !is_depot[v])).collect();
        let planar = |v: usize| Location::Planar { x: xy[v].0, y: xy[v].1 };
        let service = self.service_time.unwrap_or(0.0) * scale;
        let single = depots.len() == 1;
        let spec = ProblemSpec {
            towns_csv: None,
            state: None,
            horizon_days: None,
            max_snap_m: None,
            pickup_order: Default::default(),
            name: self.instance_name(),
            travel: Some(match matrix {
                None => TravelSpec::Euclidean,
                Some(m) => TravelSpec::Matrix {
                    distances: order
                        .iter()
                        .map(|&a| order.iter().map(|&b| Some(m[a * n + b])).collect())
                        .collect(),
                    durations: None,
                },
            }),
            depots: depots
                .iter()
                .map(|&d| DepotSpec {
                    id: (d + 1).to_string(),
                    name: String::new(),
                    location: planar(d),
                    hours: None,
                })
                .collect(),
            towns: order[depots.len()..]
                .iter()
                .map(|&v| TownSpec {
                    name: String::new(),
                    service_time_s: service,
                    ..TownSpec::new((v + 1).to_string(), planar(v), demand[v])
                })
                .collect(),
            fleet: depots
                .iter()
                .map(|&d| VehicleTypeSpec {
                    id: if single {
                        "vehicle".to_string()
                    } else {
                        format!("vehicle-{}", d + 1)
                    },
                    depot: (d + 1).to_string(),
                    count: self.vehicles,
                    capacity: capacity.into(),
                    max_distance: limit,
                    max_duration_s: limit.filter(|_| service > 0.0),
                    speed_kmh: VRPLIB_SPEED_KMH,
                    ..VehicleTypeSpec::default()
                })
                .collect(),
        };
        let mut problem = Problem::from_spec(spec)?;
        problem.rounding = rounding;
        Ok(problem)
    }
}

impl Reader<'_> {
    /// The time-window branch of [`Reader::finish`] (module docs).
    fn finish_vrptw(
        &self,
        n: usize,
        capacity: f64,
        ew: EdgeWeightType,
        xy: &[(f64, f64)],
        demand: &[f64],
        depots: &[usize],
    ) -> Result<Problem> {
        if ew != EdgeWeightType::Euc2d {
            return Err(self.err_no_line("a time-window (VRPTW) instance needs EDGE_WEIGHT_TYPE : EUC_2D"));
        }
        if self.distance.is_some() {
            return Err(self.err_no_line(
                "DISTANCE is not supported with time windows (VRPTW): the horizon is the depot's time window",
            ));
        }
        if depots.len() != 1 {
            return Err(self.err(
                self.depots.as_ref().map_or(0, |d| d.line),
                format!(
                    "a time-window (VRPTW) instance needs exactly one depot, found {}",
                    depots.len()
                ),
            ));
        }
        let windows = self
            .complete(Sec::TimeWindows, self.windows.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("TYPE VRPTW needs a TIME_WINDOW_SECTION"))?;
        let services = self.complete(Sec::ServiceTimes, self.services.as_ref(), n)?;
        let service = self.service_time.unwrap_or(0.0);
        let node = |v: usize| VrptwNode {
            id: (v + 1).to_string(),
            x: xy[v].0,
            y: xy[v].1,
            demand: demand[v],
            ready: windows[v].0,
            due: windows[v].1,
            service: services.as_ref().map_or(service, |s| s[v]),
        };
        let depot = depots[0];
        let inst = VrptwInstance {
            name: self.instance_name(),
            depot: VrptwNode {
                service: 0.0,
                ..node(depot)
            },
            customers: (0..n).filter(|&v| v != depot).map(node).collect(),
            vehicles: self.vehicles.map(|v| v as u32),
            capacity,
        };
        vrptw::build_problem(inst, self.src)
    }
}

/// One vehicle of a PyVRP-dialect file, before vehicles are grouped into types.
#[derive(Debug, Clone, PartialEq)]
struct FleetVehicle {
    depot: usize,
    capacity: Columns,
    fixed_cost: f64,
    unit_distance_cost: f64,
    max_duration: Option<f64>,
    /// Allowed client nodes (0-based), sorted; `None` = every client.
    allowed: Option<Vec<usize>>,
    /// Reload depots (0-based nodes), sorted.
    reloads: Vec<usize>,
    /// Most reloads per route.
    max_reloads: Option<u32>,
}

impl Reader<'_> {
    /// The demand column of a file read with one capacity dimension; a file
    /// with several needs the per-vehicle capacities of PyVRP's dialect.
    fn one_dimension(&self, demand: &[Columns]) -> Result<Vec<f64>> {
        if let Some(first) = demand.first().filter(|c| c.len > 1) {
            return Err(self.err(
                self.demand.as_ref().map_or(0, |t| t.line),
                format!(
                    "DEMAND_SECTION has {} demand columns: several capacity dimensions are read in PyVRP's dialect, \
                     with VEHICLES and a CAPACITY_SECTION of as many columns per vehicle",
                    first.len
                ),
            ));
        }
        Ok(demand.iter().map(|c| c.values[0]).collect())
    }

    /// Values per vehicle of a per-vehicle section: every vehicle exactly once.
    fn per_vehicle(&self, vs: VehSec, k: usize) -> Result<Option<Vec<Vec<f64>>>> {
        let Some((line, rows)) = self.vehicle_rows.get(&vs) else {
            return Ok(None);
        };
        let mut out: Vec<Option<Vec<f64>>> = vec![None; k];
        for (v, no, values) in rows {
            if out[*v].is_some() {
                return Err(self.err(*no, format!("{}: vehicle {} given twice", vs.name(), v + 1)));
            }
            out[*v] = Some(values.clone());
        }
        match out.iter().position(Option::is_none) {
            Some(v) => Err(self.err(
                *line,
                format!("{} is truncated: vehicle {} of VEHICLES {k} missing", vs.name(), v + 1),
            )),
            None => Ok(Some(out.into_iter().flatten().collect())),
        }
    }

    /// PyVRP's dialect (HFVRP, MDVRPTW, SDVRPTW): one entry per vehicle in
    /// the per-vehicle sections; runs of consecutive identical vehicles
    /// become one vehicle type with that count, so vehicle `k` of the file
    /// is vehicle `k − (vehicles of earlier types)` of its type (module docs).
    fn finish_fleet(&self, n: usize, rounding: Option<Rounding>) -> Result<Problem> {
        // Without VEHICLES the fleet is unlimited (PyVRP: one vehicle per
        // client); per-vehicle sections need the count.
        let unlimited = self.vehicles.is_none();
        if unlimited && !self.vehicle_rows.is_empty() {
            return Err(self.err_no_line("per-vehicle sections need VEHICLES"));
        }
        let k = self.vehicles.unwrap_or(1) as usize;
        if k > MAX_FLEET_VEHICLES {
            return Err(Error::TooLarge {
                what: "VRPLIB VEHICLES of a per-vehicle instance",
                value: k as u64,
                limit: MAX_FLEET_VEHICLES as u64,
            });
        }
        if self.ew_type != Some(EdgeWeightType::Euc2d) {
            return Err(self.err_no_line("a per-vehicle (PyVRP dialect) instance needs EDGE_WEIGHT_TYPE : EUC_2D"));
        }
        if self.distance.is_some() {
            return Err(self.err_no_line("DISTANCE is not read in per-vehicle instances (use VEHICLES_MAX_DURATION)"));
        }
        let demand = self
            .complete(Sec::Demand, self.demand.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("DEMAND_SECTION missing"))?;
        // One column per capacity dimension, as many in every section.
        let dims = demand.first().map_or(1, |c| c.len);
        let backhauls = self.complete(Sec::Backhaul, self.backhauls.as_ref(), n)?;
        if let Some(b) = backhauls.as_ref().and_then(|b| b.first())
            && b.len != dims
        {
            return Err(self.err(
                self.backhauls.as_ref().map_or(0, |t| t.line),
                format!(
                    "BACKHAUL_SECTION has {} pickup columns, DEMAND_SECTION {dims}: one per capacity dimension in both",
                    b.len
                ),
            ));
        }
        let xy = self
            .complete(Sec::Coords, self.coords.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE EUC_2D needs a NODE_COORD_SECTION"))?;
        let depots: Vec<usize> = match &self.depots {
            None => vec![0],
            Some(d) if d.nodes.is_empty() => return Err(self.err(d.line, "DEPOT_SECTION lists no depot")),
            Some(d) => d.nodes.iter().map(|&(v, _)| v).collect(),
        };
        if depots.len() >= n {
            return Err(self.err_no_line("every node is a depot: no customer to serve"));
        }
        let windows = self.complete(Sec::TimeWindows, self.windows.as_ref(), n)?;
        let services = self.complete(Sec::ServiceTimes, self.services.as_ref(), n)?;
        // As PyVRP's families: DIMACS tenths with time windows, else nint.
        let rounding = rounding.unwrap_or(if windows.is_some() {
            Rounding::DimacsTenths
        } else {
            Rounding::Nearest
        });
        if rounding == Rounding::Exact {
            return Err(self.err_no_line("per-vehicle instances are read with rounding nearest or dimacs"));
        }
        let scale = rounding.scale() as f64;
        let mut is_depot = vec![false; n];
        for &d in &depots {
            is_depot[d] = true;
        }

        let capacities = self.per_vehicle(VehSec::Capacity, k)?;
        let fixed = self.per_vehicle(VehSec::FixedCost, k)?;
        let unit = self.per_vehicle(VehSec::UnitDistanceCost, k)?;
        let depot_of = self.per_vehicle(VehSec::Depot, k)?;
        let durations = self.per_vehicle(VehSec::MaxDuration, k)?;
        let allowed = self.per_vehicle(VehSec::AllowedClients, k)?;
        let reload_rows = self.per_vehicle(VehSec::ReloadDepot, k)?;
        let max_reloads = self.per_vehicle(VehSec::MaxReloads, k)?;
        let line_of = |vs: VehSec| self.vehicle_rows.get(&vs).map_or(0, |(l, _)| *l);
        let mut vehicles = Vec::with_capacity(k);
        for v in 0..k {
            let capacity = match (&capacities, self.capacity) {
                (Some(c), _) => {
                    if c[v].len() != dims {
                        return Err(self.err(
                            line_of(VehSec::Capacity),
                            format!(
                                "CAPACITY_SECTION: vehicle {} has {} capacity columns, DEMAND_SECTION {dims}: one per \
                                 capacity dimension in both",
                                v + 1,
                                c[v].len()
                            ),
                        ));
                    }
                    let mut columns = Columns::one(0.0);
                    columns.len = dims;
                    columns.values[..dims].copy_from_slice(&c[v]);
                    columns
                }
                (None, Some(_)) if dims > 1 => {
                    return Err(self.err_no_line(format!(
                        "CAPACITY gives one capacity dimension, DEMAND_SECTION {dims}: give VEHICLES and a \
                         CAPACITY_SECTION with {dims} columns per vehicle"
                    )));
                }
                (None, Some(c)) => Columns::one(c),
                (None, None) => return Err(self.err_no_line("CAPACITY or CAPACITY_SECTION missing")),
            };
            if capacity.values[0] <= 0.0 {
                return Err(self.err(
                    line_of(VehSec::Capacity),
                    format!(
                        "CAPACITY_SECTION: vehicle {} has capacity {}",
                        v + 1,
                        capacity.values[0]
                    ),
                ));
            }
            let depot = match &depot_of {
                None => depots[0],
                Some(d) => {
                    let node = d[v][0] as usize;
                    if d[v][0].fract() != 0.0 || node < 1 || node > n || !is_depot[node - 1] {
                        return Err(self.err(
                            line_of(VehSec::Depot),
                            format!("VEHICLES_DEPOT_SECTION: vehicle {}: {} is not a depot", v + 1, d[v][0]),
                        ));
                    }
                    node - 1
                }
            };
            let allowed = match &allowed {
                None => None,
                Some(a) => {
                    let mut nodes: Vec<usize> = a[v].iter().map(|&x| x as usize - 1).collect();
                    if let Some(&bad) = nodes.iter().find(|&&x| is_depot[x]) {
                        return Err(self.err(
                            line_of(VehSec::AllowedClients),
                            format!(
                                "VEHICLES_ALLOWED_CLIENTS_SECTION: vehicle {}: node {} is a depot",
                                v + 1,
                                bad + 1
                            ),
                        ));
                    }
                    nodes.sort_unstable();
                    nodes.dedup();
                    Some(nodes)
                }
            };
            let mut reloads = Vec::new();
            for &x in reload_rows.as_ref().map_or(&[][..], |r| &r[v][..]) {
                let node = x as usize;
                if x.fract() != 0.0 || node < 1 || node > n || !is_depot[node - 1] {
                    return Err(self.err(
                        line_of(VehSec::ReloadDepot),
                        format!("VEHICLES_RELOAD_DEPOT_SECTION: vehicle {}: {x} is not a depot", v + 1),
                    ));
                }
                reloads.push(node - 1);
            }
            reloads.sort_unstable();
            reloads.dedup();
            let max_reloads = match max_reloads.as_ref().map(|m| m[v][0]) {
                None => None,
                Some(m) if m.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&m) => Some(m as u32),
                Some(m) => {
                    return Err(self.err(
                        line_of(VehSec::MaxReloads),
                        format!("VEHICLES_MAX_RELOADS_SECTION: vehicle {}: {m} is not a count", v + 1),
                    ));
                }
            };
            vehicles.push(FleetVehicle {
                reloads,
                max_reloads,
                depot,
                capacity,
                fixed_cost: fixed.as_ref().map_or(0.0, |f| f[v][0]),
                unit_distance_cost: unit.as_ref().map_or(1.0, |u| u[v][0]),
                max_duration: durations.as_ref().map(|d| d[v][0]).or(self.max_duration),
                allowed,
            });
        }
        // Runs of identical vehicles → types.
        let mut runs: Vec<(usize, usize)> = Vec::new(); // (first vehicle, count)
        for v in 0..k {
            match runs.last_mut() {
                Some((first, count)) if vehicles[*first] == vehicles[v] => *count += 1,
                _ => runs.push((v, 1)),
            }
        }
        let type_id = |first: usize, count: usize| {
            if count == 1 {
                format!("v{}", first + 1)
            } else {
                format!("v{}-{}", first + 1, first + count)
            }
        };
        // With fixed costs or unit distance costs other than 1 the objective
        // is money, fixed + unit cost × distance (PyVRP's); else distance.
        let money = vehicles
            .iter()
            .any(|v| v.unit_distance_cost != 1.0 || v.fixed_cost > 0.0);
        let fleet: Vec<VehicleTypeSpec> = runs
            .iter()
            .map(|&(first, count)| {
                let v = &vehicles[first];
                VehicleTypeSpec {
                    id: if unlimited { "v".into() } else { type_id(first, count) },
                    depot: (v.depot + 1).to_string(),
                    count: (!unlimited).then_some(count as i64),
                    capacity: v.capacity.amount(),
                    max_duration_s: v.max_duration.map(|d| rounding.limit(d)),
                    speed_kmh: VRPLIB_SPEED_KMH,
                    fixed_cost: v.fixed_cost,
                    // Money per model kilometre: model distances are `scale`
                    // times the instance's.
                    cost_per_km: if money {
                        v.unit_distance_cost * 1000.0 / scale
                    } else {
                        0.0
                    },
                    reload_depots: v.reloads.iter().map(|&d| (d + 1).to_string()).collect(),
                    max_reloads: v.max_reloads,
                    ..VehicleTypeSpec::default()
                }
            })
            .collect();
        let allowed_types = |node: usize| -> Option<Vec<String>> {
            if runs.iter().all(|&(f, _)| vehicles[f].allowed.is_none()) {
                return None;
            }
            Some(
                runs.iter()
                    .filter(|&&(f, _)| {
                        vehicles[f]
                            .allowed
                            .as_ref()
                            .is_none_or(|a| a.binary_search(&node).is_ok())
                    })
                    .map(|&(f, c)| type_id(f, c))
                    .collect(),
            )
        };
        let order: Vec<usize> = (0..n).filter(|&v| !is_depot[v]).collect();
        let prizes = self.complete(Sec::Prize, self.prizes.as_ref(), n)?;
        let releases = self.complete(Sec::Release, self.releases.as_ref(), n)?;
        // PyVRP: a client with a zero prize is required; prizes are in the
        // objective's units (distance, scaled like it, or money).
        let prize_unit = if money { 1.0 } else { scale };
        let mut towns = Vec::with_capacity(order.len());
        for &v in &order {
            let vehicle_types = allowed_types(v);
            if vehicle_types.as_ref().is_some_and(|t| t.is_empty()) {
                return Err(self.err(
                    line_of(VehSec::AllowedClients),
                    format!(
                        "VEHICLES_ALLOWED_CLIENTS_SECTION: client {} is allowed on no vehicle",
                        v + 1
                    ),
                ));
            }
            let service = services.as_ref().map_or(self.service_time.unwrap_or(0.0), |s| s[v]);
            towns.push(TownSpec {
                id: (v + 1).to_string(),
                name: String::new(),
                location: Location::Planar { x: xy[v].0, y: xy[v].1 },
                demand: demand[v].amount(),
                service_time_s: service * scale,
                pickup: backhauls.as_ref().map_or(Amount::One(0.0), |b| b[v].amount()),
                prize: prizes.as_ref().map(|p| p[v] * prize_unit).filter(|&p| p > 0.0),
                priority: None,
                release: releases.as_ref().map(|r| TimeSpec::Seconds(r[v] * scale)),
                windows: windows
                    .as_ref()
                    .map(|w| vec![[TimeSpec::Seconds(w[v].0 * scale), TimeSpec::Seconds(w[v].1 * scale)]])
                    .unwrap_or_default(),
                drops: None,
                days: None,
                patterns: None,
                vehicle_types,
            });
        }
        let spec = ProblemSpec {
            towns_csv: None,
            state: None,
            horizon_days: None,
            max_snap_m: None,
            // PyVRP's VRPB: linehauls before backhauls (its other types with
            // a BACKHAUL_SECTION mix pickups and deliveries).
            pickup_order: if self.variant.as_deref() == Some("VRPB") {
                PickupOrder::DeliveriesFirst
            } else {
                PickupOrder::Any
            },
            name: self.instance_name(),
            travel: Some(TravelSpec::Euclidean),
            depots: depots
                .iter()
                .map(|&d| DepotSpec {
                    id: (d + 1).to_string(),
                    name: String::new(),
                    location: Location::Planar { x: xy[d].0, y: xy[d].1 },
                    hours: windows
                        .as_ref()
                        .map(|w| [TimeSpec::Seconds(w[d].0 * scale), TimeSpec::Seconds(w[d].1 * scale)]),
                })
                .collect(),
            towns,
            fleet,
        };
        let mut problem = Problem::from_spec(spec)?;
        problem.rounding = rounding;
        Ok(problem)
    }
}

/// Most vehicles a per-vehicle (PyVRP dialect) file may list.
pub const MAX_FLEET_VEHICLES: usize = 1_000_000;

/// Shortens echoed input to keep messages readable.
#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "NAME : \ttiny\t\r\nCOMMENT : \t\"hand made\"\t\r\nTYPE : \tCVRP\t\r\nDIMENSION : \t4\t\r\n\
EDGE_WEIGHT_TYPE : \tEUC_2D\t\r\nCAPACITY : \t10\t\r\nNODE_COORD_SECTION\t\t\r\n1\t0\t0\r\n2\t3\t4\r\n3\t6\t8\r\n4\t-3\t-4\r\n\
DEMAND_SECTION\t\t\r\n1\t0\t\r\n2\t4\t\r\n3\t5\t\r\n4\t7\t\r\nDEPOT_SECTION\t\t\r\n\t1\t\r\n\t-1\t\r\nEOF\t\t\r\n";

    fn parse_err(text: &str) -> (Option<usize>, String) {
        match read_vrp(text, "t.vrp") {
            Err(Error::Parse {
                source_name,
                line,
                message,
            }) => {
                assert_eq!(source_name, "t.vrp");
                (line, message)
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn reads_euc2d_with_tabs_and_crlf() {
        let p = read_vrp(TINY, "tiny.vrp").unwrap();
        assert_eq!(p.name, "tiny");
        assert_eq!(p.depots.len(), 1);
        assert_eq!(p.depots[0].id, "1");
        let ids: Vec<&str> = p.towns.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["2", "3", "4"]);
        assert_eq!(p.towns.iter().map(|t| t.demand).collect::<Vec<_>>(), [4, 5, 7]);
        assert_eq!(p.towns[2].location, Location::Planar { x: -3.0, y: -4.0 });
        assert!(matches!(p.travel, Travel::Euclidean));
        assert_eq!(p.fleet.len(), 1);
        let v = &p.fleet[0];
        assert_eq!(
            (v.id.as_str(), v.capacity, v.count, v.max_distance, v.max_duration),
            ("vehicle", 10, None, None, None)
        );
        assert_eq!(v.speed_kmh, VRPLIB_SPEED_KMH);
    }

    #[test]
    fn tolerates_missing_spaces_missing_eof_and_no_depot_section() {
        let text = "NAME:x\nDIMENSION:3\nCAPACITY :5\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n\
                    DEMAND_SECTION\n1 0\n2 1\n3 1\n";
        let p = read_vrp(text, "x").unwrap();
        assert_eq!(p.towns.len(), 2);
        assert_eq!(p.fleet[0].capacity, 5);
        assert_eq!(p.depots[0].id, "1");
    }

    /// Reads `text` in the nearest-integer convention (the file kind's
    /// default may be another).
    fn read_nearest(text: &str) -> Problem {
        let options = ReadOptions {
            rounding: Some(Rounding::Nearest),
            ..ReadOptions::default()
        };
        read_vrp_with(text, "t", &options).unwrap()
    }

    #[test]
    fn vehicles_distance_and_service_time() {
        let text = TINY.replace(
            "CAPACITY",
            "VEHICLES : 3\r\nDISTANCE : 200\r\nSERVICE_TIME : 10\r\nCAPACITY",
        );
        let p = read_nearest(&text);
        assert!(p.towns.iter().all(|t| t.service_time == 10));
        let v = &p.fleet[0];
        assert_eq!(v.count, Some(3));
        assert_eq!(v.max_distance, Some(200));
        // CVRPLIB's DISTANCE includes service: it also bounds the duration,
        // where 1 distance unit = 1 second.
        assert_eq!(v.max_duration, Some(200));
        assert_eq!(v.seconds_per_unit(), 1.0);

        let only_distance = TINY.replace("CAPACITY", "DISTANCE : 50.4\r\nCAPACITY");
        let p = read_nearest(&only_distance);
        assert_eq!((p.fleet[0].max_distance, p.fleet[0].max_duration), (Some(50), None));
        // By default a DISTANCE limit means exact distances: 1/10 000 units,
        // the limit rounded down, service times scaled alike.
        let p = read_vrp(&text, "t").unwrap();
        assert_eq!(p.rounding, Rounding::Exact);
        let v = &p.fleet[0];
        assert_eq!((v.max_distance, v.max_duration), (Some(2_000_000), Some(2_000_000)));
        assert!(p.towns.iter().all(|t| t.service_time == 100_000));
        let p = read_vrp(&only_distance, "t").unwrap();
        assert_eq!(p.fleet[0].max_distance, Some(504_000));
        assert!(p.towns.iter().all(|t| t.service_time == 0));

        let only_service = TINY.replace("CAPACITY", "SERVICE_TIME : 7\r\nCAPACITY");
        let p = read_vrp(&only_service, "t").unwrap();
        assert_eq!((p.fleet[0].max_distance, p.fleet[0].max_duration), (None, None));
        assert!(p.towns.iter().all(|t| t.service_time == 7));
    }

    #[test]
    fn distance_with_service_time_is_checked_like_cvrplib() {
        use crate::distance::build_oracle;
        use crate::solution::{Plan, PlannedRoute, Solution, Violation, validate};
        // Route 1 -> 2 -> 3 -> 1 is 5 + 5 + 10 = 20 long, plus 2 x 10 service = 40.
        let text = TINY.replace("CAPACITY", "DISTANCE : 39\r\nSERVICE_TIME : 10\r\nCAPACITY");
        let p = read_nearest(&text);
        let oracle = build_oracle(&p).unwrap();
        let plan = Plan {
            routes: vec![
                PlannedRoute {
                    vehicle_type: 0,
                    towns: vec![0, 1],
                    reloads: Vec::new(),
                },
                PlannedRoute {
                    vehicle_type: 0,
                    towns: vec![2],
                    reloads: Vec::new(),
                },
            ],
            unassigned: vec![],
        };
        let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
        let report = validate(&p, oracle.as_ref(), &s);
        assert!(
            report.violations.iter().any(|v| matches!(
                v,
                Violation::Duration {
                    route: 0,
                    duration_s: 40,
                    limit: 39
                }
            )),
            "{:?}",
            report.violations
        );
        let text = TINY.replace("CAPACITY", "DISTANCE : 40\r\nSERVICE_TIME : 10\r\nCAPACITY");
        let p = read_nearest(&text);
        let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
        assert!(validate(&p, oracle.as_ref(), &s).is_feasible());
    }

    /// A Golden-style file: real coordinates and a `DISTANCE` limit. Town 2
    /// is 2.5 from the depot (exactly, in f64 too), town 3 is 10.4 away.
    const GOLDEN_STYLE: &str = "NAME : g\nTYPE : CVRP\nDIMENSION : 3\nCAPACITY : 10\nDISTANCE : 20.5\n\
        EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1.5 2\n3 10.4 0\n\
        DEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n";

    #[test]
    fn golden_style_file_under_each_convention() {
        use crate::distance::build_oracle;
        let with = |r: Option<Rounding>| {
            read_vrp_with(
                GOLDEN_STYLE,
                "g",
                &ReadOptions {
                    rounding: r,
                    ..ReadOptions::default()
                },
            )
            .unwrap()
        };
        let arc = |p: &Problem, t: usize| build_oracle(p).unwrap().distance(0, p.town_location(t));
        let default = with(None);
        assert_eq!(default.rounding, Rounding::Exact);
        let exact = with(Some(Rounding::Exact));
        assert_eq!(exact.fleet, default.fleet);
        assert_eq!(exact.fleet[0].max_distance, Some(205_000));
        assert_eq!((arc(&exact, 0), arc(&exact, 1)), (25_000, 104_000));
        let nearest = with(Some(Rounding::Nearest));
        assert_eq!(nearest.fleet[0].max_distance, Some(21)); // nint(20.5), as CVRPLIB
        assert_eq!((arc(&nearest, 0), arc(&nearest, 1)), (3, 10)); // nint(2.5) = 3
        let dimacs = with(Some(Rounding::DimacsTenths));
        assert_eq!(dimacs.fleet[0].max_distance, Some(205));
        assert_eq!((arc(&dimacs, 0), arc(&dimacs, 1)), (25, 104));
        // Integer coordinates without a limit (CVRPLIB X) stay nearest.
        assert_eq!(read_vrp(TINY, "t").unwrap().rounding, Rounding::Nearest);
        // Explicit weights and time windows have one convention each.
        let explicit = read_vrp_with(
            &explicit_text("LOWER_ROW", "1 2 4 3 5 6"),
            "m",
            &ReadOptions {
                rounding: Some(Rounding::Exact),
                ..ReadOptions::default()
            },
        );
        assert!(matches!(explicit, Err(Error::Parse { message, .. }) if message.contains("EXPLICIT")));
        // Exact fixed point needs coordinates within ±1e5.
        let far = GOLDEN_STYLE.replace("3 10.4 0", "3 200000.5 0");
        assert!(matches!(
            read_vrp_with(&far, "g", &ReadOptions { rounding: Some(Rounding::Exact), ..ReadOptions::default() }),
            Err(Error::Parse { message, .. }) if message.contains("nearest")
        ));
        assert_eq!(read_vrp(&far, "g").unwrap().rounding, Rounding::Nearest);
    }

    #[test]
    fn exact_limit_refuses_what_nint_let_through() {
        use crate::distance::build_oracle;
        use crate::solution::{Plan, PlannedRoute, Solution, Violation, validate};
        let plan = |towns: Vec<usize>| Plan {
            routes: vec![PlannedRoute::new(0, towns)],
            unassigned: vec![],
        };
        let check = |p: &Problem, towns: Vec<usize>| {
            let oracle = build_oracle(p).unwrap();
            let s = Solution::from_plan(p, oracle.as_ref(), &plan(towns));
            validate(p, oracle.as_ref(), &s).violations
        };
        // Depot -> town 3 -> depot is 20.8 against DISTANCE 20.5: nint says
        // 20 <= 21, exact arithmetic says no.
        let nearest = read_vrp_with(
            GOLDEN_STYLE,
            "g",
            &ReadOptions {
                rounding: Some(Rounding::Nearest),
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert!(
            check(&nearest, vec![1])
                .iter()
                .all(|v| !matches!(v, Violation::Distance { .. }))
        );
        let exact = read_vrp(GOLDEN_STYLE, "g").unwrap();
        assert!(
            check(&exact, vec![1]).contains(&Violation::Distance {
                route: 0,
                distance: 208_000,
                limit: 205_000
            }),
            "{:?}",
            check(&exact, vec![1])
        );
        // A route exactly at the limit is feasible: 2 x 2.5 = 5 = DISTANCE.
        let at_limit = GOLDEN_STYLE.replace("DISTANCE : 20.5", "DISTANCE : 5");
        let p = read_vrp(&at_limit, "g").unwrap();
        let v = check(&p, vec![0]);
        assert!(v.iter().all(|v| !matches!(v, Violation::Distance { .. })), "{v:?}");
        let just_under = GOLDEN_STYLE.replace("DISTANCE : 20.5", "DISTANCE : 4.9999");
        let p = read_vrp(&just_under, "g").unwrap();
        assert!(
            check(&p, vec![0])
                .iter()
                .any(|v| matches!(v, Violation::Distance { .. }))
        );
    }

    fn explicit(format: &str, weights: &str, depot: usize) -> Problem {
        let text = format!(
            "NAME : m\nTYPE : CVRP\nDIMENSION : 4\nCAPACITY : 9\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
             EDGE_WEIGHT_FORMAT : {format}\nEDGE_WEIGHT_SECTION\n{weights}\n\
             DEMAND_SECTION\n1 1\n2 1\n3 1\n4 1\nDEPOT_SECTION\n{depot}\n-1\nEOF\n"
        );
        read_vrp(&text, "m.vrp").unwrap_or_else(|e| panic!("{format}: {e}"))
    }

    fn matrix_of(p: &Problem) -> Vec<u32> {
        match &p.travel {
            Travel::Matrix {
                distances,
                durations: None,
            } => distances.iter().map(|d| d.unwrap()).collect(),
            other => panic!("expected a matrix, got {other:?}"),
        }
    }

    #[test]
    fn all_explicit_formats_give_the_same_matrix() {
        let want: Vec<u32> = vec![0, 1, 2, 3, 1, 0, 4, 5, 2, 4, 0, 6, 3, 5, 6, 0];
        let cases = [
            ("FULL_MATRIX", "0 1 2 3\n1 0 4 5 2 4\n0 6 3 5 6 0"),
            ("LOWER_ROW", "1\n2 4\n3 5 6"),
            ("LOWER_DIAG_ROW", "0\n1 0\n2 4 0\n3 5 6 0"),
            ("UPPER_ROW", "1 2 3\n4 5\n6"),
            ("UPPER_DIAG_ROW", "0 1 2 3 0\n4 5 0 6 0"),
            ("LOWER_COL", "1 2 3\n4 5\n6"),
            ("LOWER_DIAG_COL", "0 1 2 3\n0 4 5\n0 6\n0"),
            ("UPPER_COL", "1\n2 4\n3 5 6"),
            ("UPPER_DIAG_COL", "0 1 0 2 4 0 3 5 6 0"),
        ];
        for (format, weights) in cases {
            let p = explicit(format, weights, 1);
            assert_eq!(matrix_of(&p), want, "{format}");
            assert_eq!(p.towns.len(), 3);
            assert_eq!(p.towns[0].location, Location::Planar { x: 0.0, y: 0.0 });
        }
    }

    #[test]
    fn explicit_matrix_follows_depot_first_location_order() {
        let p = explicit("UPPER_ROW", "1 2 3 4 5 6", 3);
        assert_eq!(p.depots[0].id, "3");
        assert_eq!(
            p.towns.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["1", "2", "4"]
        );
        // Locations: node 3, 1, 2, 4.
        let d = matrix_of(&p);
        assert_eq!(&d[0..4], &[0, 2, 4, 6]);
        assert_eq!(&d[4..8], &[2, 0, 1, 3]);
    }

    #[test]
    fn multi_depot_gets_one_vehicle_type_per_depot() {
        let text = TINY.replace("\t1\t\r\n\t-1", "1 4 -1");
        let p = read_vrp(&text, "t").unwrap();
        assert_eq!(p.depots.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["1", "4"]);
        assert_eq!(p.towns.len(), 2);
        assert_eq!(
            p.fleet.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
            ["vehicle-1", "vehicle-4"]
        );
        assert_eq!(p.fleet[1].depot, 1);
    }

    #[test]
    fn truncated_sections() {
        let (line, msg) = parse_err(&TINY.replace("4\t-3\t-4\r\n", ""));
        assert_eq!(line, Some(7));
        assert!(
            msg.contains("NODE_COORD_SECTION") && msg.contains("node 4 missing"),
            "{msg}"
        );

        let (line, msg) = parse_err(&TINY.replace("3\t5\t\r\n", ""));
        assert_eq!(line, Some(12));
        assert!(
            msg.contains("DEMAND_SECTION") && msg.contains("node 3 missing"),
            "{msg}"
        );

        let cut = &TINY[..TINY.find("DEMAND_SECTION").unwrap()];
        let (line, msg) = parse_err(cut);
        assert_eq!(line, None);
        assert!(msg.contains("DEMAND_SECTION missing"), "{msg}");

        let (line, msg) = parse_err(&explicit_text("LOWER_ROW", "1 2 4 3 5"));
        assert_eq!(line, Some(7));
        assert!(msg.contains("truncated") && msg.contains("5 of the 6"), "{msg}");
    }

    fn explicit_text(format: &str, weights: &str) -> String {
        format!(
            "NAME : m\nTYPE : CVRP\nDIMENSION : 4\nCAPACITY : 9\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
             EDGE_WEIGHT_FORMAT : {format}\nEDGE_WEIGHT_SECTION\n{weights}\n\
             DEMAND_SECTION\n1 1\n2 1\n3 1\n4 1\nEOF\n"
        )
    }

    #[test]
    fn wrong_dimension() {
        // More rows than declared.
        let (line, msg) = parse_err(&TINY.replace("4\t-3\t-4\r\n", "4\t-3\t-4\r\n5\t1\t1\r\n"));
        assert_eq!(line, Some(12));
        assert!(msg.contains("out of range") && msg.contains("DIMENSION 4"), "{msg}");
        // Fewer declared than given.
        let (line, msg) = parse_err(&TINY.replace("DIMENSION : \t4", "DIMENSION : \t3"));
        assert_eq!(line, Some(11));
        assert!(msg.contains("node id 4"), "{msg}");
        // Duplicate id.
        let (line, msg) = parse_err(&TINY.replace("3\t6\t8", "2\t6\t8"));
        assert_eq!(line, Some(10));
        assert!(msg.contains("node 2 given twice (first on line 9)"), "{msg}");
        // Too many explicit weights.
        let (line, msg) = parse_err(&explicit_text("LOWER_ROW", "1 2 4\n3 5 6 7"));
        assert_eq!(line, Some(9));
        assert!(msg.contains("more than the 6 entries"), "{msg}");
    }

    #[test]
    fn unsupported_types() {
        let (line, msg) = parse_err(&TINY.replace("EUC_2D", "GEO"));
        assert_eq!(line, Some(5));
        assert!(msg.contains("unsupported EDGE_WEIGHT_TYPE 'GEO'"), "{msg}");
        for t in ["ATT", "CEIL_2D"] {
            let (_, msg) = parse_err(&TINY.replace("EUC_2D", t));
            assert!(msg.contains("unsupported EDGE_WEIGHT_TYPE"), "{msg}");
        }
        let (line, msg) = parse_err(&TINY.replace("\tCVRP", "\tTSP"));
        assert_eq!(line, Some(3));
        assert!(msg.contains("unsupported TYPE 'TSP'"), "{msg}");
        let (line, msg) = parse_err(&explicit_text("FUNCTION", "1 2 3"));
        assert_eq!(line, Some(6));
        assert!(msg.contains("unsupported EDGE_WEIGHT_FORMAT 'FUNCTION'"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("DEPOT_SECTION", "PICKUP_SECTION"));
        assert_eq!(line, Some(17));
        assert!(msg.contains("unsupported section PICKUP_SECTION"), "{msg}");
    }

    const TINY_TW: &str = "NAME : tw\nTYPE : VRPTW\nDIMENSION : 4\nVEHICLES : 2\nCAPACITY : 10\nSERVICE_TIME : 3\n\
EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\n4 0 2\nDEMAND_SECTION\n1 0\n2 5\n3 5\n4 4\n\
TIME_WINDOW_SECTION\n1 0 1000\n2 10 20\n3 0 900\n4 50 300\nDEPOT_SECTION\n1\n-1\nEOF\n";

    #[test]
    fn reads_time_windows_in_tenths() {
        use crate::model::Window;
        let p = read_vrp(TINY_TW, "tw.vrp").unwrap();
        assert_eq!(p.depots[0].hours, Window { open: 0, close: 10_000 });
        assert_eq!(p.towns[0].windows, vec![Window { open: 100, close: 200 }]);
        assert!(p.towns.iter().all(|t| t.service_time == 30));
        assert_eq!((p.fleet[0].count, p.fleet[0].capacity), (Some(2), 10));
        match &p.travel {
            Travel::Matrix {
                distances,
                durations: Some(durations),
            } => {
                // (0,0)-(3,4) = 5 -> 50; (3,4)-(1,1) = 3.606 -> 36.
                assert_eq!((distances[1], distances[4 + 2]), (Some(50), Some(36)));
                assert_eq!(distances, durations);
            }
            other => panic!("{other:?}"),
        }
        // Per-node service times override SERVICE_TIME; no TYPE is needed.
        let text = TINY_TW.replace("TYPE : VRPTW\n", "").replace(
            "DEPOT_SECTION",
            "SERVICE_TIME_SECTION\n1 0\n2 1\n3 2\n4 3.5\nDEPOT_SECTION",
        );
        let p = read_vrp(&text, "tw.vrp").unwrap();
        assert_eq!(p.towns.iter().map(|t| t.service_time).collect::<Vec<_>>(), [10, 20, 35]);
    }

    #[test]
    fn time_window_errors_name_the_line() {
        let (line, msg) = parse_err(&TINY_TW.replace("4 50 300", "4 350 300"));
        assert_eq!(line, Some(22));
        assert!(
            msg.contains("node 4") && msg.contains("closes before it opens"),
            "{msg}"
        );
        let (line, msg) = parse_err(&TINY_TW.replace("2 10 20", "2 ten 20"));
        assert_eq!(line, Some(20));
        assert!(msg.contains("'ten' is not a number"), "{msg}");
        let (line, msg) = parse_err(&TINY_TW.replace("2 10 20", "2 -10 20"));
        assert_eq!(line, Some(20));
        assert!(msg.contains("ready time -10"), "{msg}");
        let (line, msg) = parse_err(&TINY_TW.replace("3 0 900\n", ""));
        assert_eq!(line, Some(18));
        assert!(
            msg.contains("TIME_WINDOW_SECTION is truncated") && msg.contains("node 3 missing"),
            "{msg}"
        );
        let (line, msg) = parse_err(&TINY_TW.replace("3 0 900", "2 0 900"));
        assert_eq!(line, Some(21));
        assert!(msg.contains("node 2 given twice"), "{msg}");
        let cut = TINY_TW.replace("TIME_WINDOW_SECTION\n1 0 1000\n2 10 20\n3 0 900\n4 50 300\n", "");
        let (line, msg) = parse_err(&cut);
        assert_eq!(line, None);
        assert!(msg.contains("needs a TIME_WINDOW_SECTION"), "{msg}");
        let (_, msg) = parse_err(&TINY_TW.replace("CAPACITY", "DISTANCE : 50\nCAPACITY"));
        assert!(msg.contains("DISTANCE is not supported"), "{msg}");
        let (line, msg) = parse_err(&TINY_TW.replace("1\n-1", "1 2\n-1"));
        assert_eq!(line, Some(23));
        assert!(msg.contains("exactly one depot"), "{msg}");
        let (line, msg) = parse_err(&TINY_TW.replace("2 3 4", "2 3e8 4"));
        assert_eq!(line, Some(10));
        assert!(msg.contains("-1e8..=1e8"), "{msg}");
        assert!(matches!(
            read_vrp(&TINY_TW.replace("DIMENSION : 4", "DIMENSION : 100000"), "x"),
            Err(Error::TooLarge { value: 100_000, .. })
        ));
        let text = TINY_TW
            .replace("TYPE : VRPTW\n", "")
            .replace("DIMENSION : 4", "DIMENSION : 100000");
        assert!(matches!(
            read_vrp(&text, "x"),
            Err(Error::TooLarge { value: 100_000, .. })
        ));
    }

    #[test]
    fn bad_numbers() {
        let (line, msg) = parse_err(&TINY.replace("3\t5\t", "3\t-5\t"));
        assert_eq!(line, Some(15));
        assert!(msg.contains("negative demand -5 for node 3"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("3\t6\t8", "3\tsix\t8"));
        assert_eq!(line, Some(10));
        assert!(msg.contains("x coordinate") && msg.contains("'six'"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("3\t5\t", "3\t5kg\t"));
        assert_eq!(line, Some(15));
        assert!(msg.contains("demand") && msg.contains("5kg"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("DIMENSION : \t4", "DIMENSION : \tfour"));
        assert_eq!(line, Some(4));
        assert!(msg.contains("DIMENSION 'four'"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("\t1\t\r\n\t-1", "\tx\t\r\n\t-1"));
        assert_eq!(line, Some(18));
        assert!(msg.contains("expected a data row of DEPOT_SECTION"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("\t1\t\r\n\t-1", "\t7\t\r\n\t-1"));
        assert_eq!(line, Some(18));
        assert!(msg.contains("node id 7 is out of range"), "{msg}");
        let (line, msg) = parse_err(&explicit_text("LOWER_ROW", "1 2 4\n3 x 6"));
        assert_eq!(line, Some(9));
        assert!(msg.contains("'x' is not a number"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("EOF", "1 2 3"));
        assert_eq!(line, Some(20));
        assert!(msg.contains("-1"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("NODE_COORD_SECTION", "5 5\r\nNODE_COORD_SECTION"));
        assert_eq!(line, Some(7));
        assert!(msg.contains("outside of any section"), "{msg}");
    }

    #[test]
    fn capacity_missing_or_not_positive() {
        let (line, msg) = parse_err(&TINY.replace("CAPACITY : \t10\t\r\n", ""));
        assert_eq!(line, None);
        assert!(msg.contains("CAPACITY missing"), "{msg}");
        for bad in ["0", "-3"] {
            let (line, msg) = parse_err(&TINY.replace("CAPACITY : \t10", &format!("CAPACITY : {bad}")));
            assert_eq!(line, Some(6));
            assert!(msg.contains("CAPACITY must be positive"), "{msg}");
        }
        let (line, msg) = parse_err(&TINY.replace("CAPACITY : \t10", "CAPACITY : lots"));
        assert_eq!(line, Some(6));
        assert!(msg.contains("CAPACITY"), "{msg}");
    }

    #[test]
    fn coordinates_beyond_1e9_are_refused_with_their_line() {
        let (line, msg) = parse_err(&TINY.replace("3\t6\t8", "3\t1e300\t8"));
        assert_eq!(line, Some(10));
        assert!(msg.contains("x coordinate 1e300 is outside"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("4\t-3\t-4", "4\t-3\t-1000000001"));
        assert_eq!(line, Some(11));
        assert!(msg.contains("y coordinate"), "{msg}");
        let p = read_vrp(&TINY.replace("3\t6\t8", "3\t1e9\t-1e9"), "t").unwrap();
        assert_eq!(p.towns[1].location, Location::Planar { x: 1e9, y: -1e9 });
        // Display-only coordinates of an EXPLICIT file too.
        let text = explicit_text("LOWER_ROW", "1 2 4 3 5 6").replace(
            "DEMAND_SECTION",
            "DISPLAY_DATA_SECTION\n1 0 0\n2 0 0\n3 inf 0\n4 0 0\nDEMAND_SECTION",
        );
        let (line, msg) = parse_err(&text);
        assert_eq!(line, Some(12));
        assert!(msg.contains("DISPLAY_DATA_SECTION x coordinate"), "{msg}");
    }

    #[test]
    fn many_depots_read_in_linear_time() {
        // 50,000 depots: a scan for repeats per depot, then per vehicle type
        // in the builder, made this quadratic (seconds to minutes).
        let (n, k) = (100_001, 50_000);
        let mut text = format!("DIMENSION : {n}\nCAPACITY : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n");
        for v in 1..=n {
            let _ = writeln!(text, "{v} {v} 0");
        }
        text += "DEMAND_SECTION\n";
        for v in 1..=n {
            let _ = writeln!(text, "{v} 1");
        }
        text += "DEPOT_SECTION\n";
        for v in (1..=k).rev() {
            let _ = writeln!(text, "{v}");
        }
        let start = std::time::Instant::now();
        let p = read_vrp(&format!("{text}-1\n"), "t").unwrap();
        assert_eq!((p.depots.len(), p.fleet.len(), p.towns.len()), (k, k, n - k));
        assert_eq!(p.fleet[k - 1].depot, k - 1);
        assert!(start.elapsed().as_secs_f64() < 3.0, "{:?}", start.elapsed());
        let (line, msg) = parse_err(&format!("{text}7\n-1\n").replace("DIMENSION", "NAME : t\nDIMENSION"));
        assert_eq!(line, Some(2 * n + k + 8));
        assert!(msg.contains("depot 7 listed twice (first on line"), "{msg}");
    }

    #[test]
    fn absurd_dimension_is_too_large() {
        for dim in ["1000000000000", "99999999999999999999999999"] {
            let text = format!(
                "NAME : x\nDIMENSION : {dim}\nCAPACITY : 1\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n"
            );
            match read_vrp(&text, "x") {
                Err(Error::TooLarge { value, limit, .. }) => {
                    assert!(value >= 1_000_000_000_000);
                    assert_eq!(limit, MAX_TOWNS as u64 + 1);
                }
                other => panic!("expected TooLarge, got {other:?}"),
            }
        }
        // EXPLICIT is capped lower, whichever header comes first.
        let text = "EDGE_WEIGHT_TYPE : EXPLICIT\nDIMENSION : 50000\n";
        assert!(matches!(
            read_vrp(text, "x"),
            Err(Error::TooLarge { value: 50_000, .. })
        ));
        let text = "DIMENSION : 50000\nEDGE_WEIGHT_TYPE : EXPLICIT\n";
        assert!(matches!(
            read_vrp(text, "x"),
            Err(Error::TooLarge { value: 50_000, .. })
        ));
    }

    #[test]
    fn corrupted_input_never_panics() {
        let explicit = explicit_text("UPPER_DIAG_ROW", "0 1 2 3 0\n4 5 0 6 0");
        for base in [TINY.to_string(), explicit] {
            for cut in 0..base.len() {
                if base.is_char_boundary(cut) {
                    let _ = read_vrp(&base[..cut], "cut");
                }
            }
            let bytes = base.as_bytes();
            for i in 0..bytes.len() {
                for c in [b'-', b'9', b':', b' ', b'\n', b'x', b'0'] {
                    let mut m = bytes.to_vec();
                    m[i] = c;
                    if let Ok(text) = String::from_utf8(m) {
                        let _ = read_vrp(&text, "mutated");
                    }
                }
            }
        }
    }

    #[test]
    fn write_then_read_round_trip() {
        let text = TINY.replace(
            "CAPACITY",
            "VEHICLES : 3\r\nDISTANCE : 200\r\nSERVICE_TIME : 10\r\nCAPACITY",
        );
        let p = read_vrp(&text, "t").unwrap();
        let out = write_vrp(&p).unwrap();
        let q = read_vrp(&out, "out").unwrap();
        assert_eq!(q.name, p.name);
        assert_eq!(q.towns, p.towns);
        assert_eq!(q.depots, p.depots);
        assert_eq!(q.fleet, p.fleet);
        // Non-integral coordinates survive too.
        let p = crate::model::ProblemBuilder::new("f")
            .depot("d", Location::Planar { x: 0.25, y: -1e-7 })
            .town("a", Location::Planar { x: 1.0 / 3.0, y: 1e9 }, 2.0, 0.0)
            .vehicle_type(VehicleTypeSpec {
                id: "v".into(),
                depot: "d".into(),
                count: None,
                capacity: (5.0).into(),
                speed_kmh: 60.0,
                ..VehicleTypeSpec::default()
            })
            .build()
            .unwrap();
        let q = read_vrp(&write_vrp(&p).unwrap(), "f").unwrap();
        assert_eq!(q.locations(), p.locations());
    }

    #[test]
    fn writer_refuses_what_vrplib_cannot_say() {
        let p = read_vrp(&explicit_text("LOWER_ROW", "1 2 4 3 5 6"), "m").unwrap();
        assert!(matches!(write_vrp(&p), Err(Error::InvalidProblem(m)) if m.contains("Euclidean")));
        let p = read_vrp(&TINY.replace("\t1\t\r\n\t-1", "1 4 -1"), "t").unwrap();
        assert!(matches!(write_vrp(&p), Err(Error::InvalidProblem(m)) if m.contains("depot")));
        // Rules the format has no words for are refused, not dropped.
        let base = read_vrp(TINY, "t").unwrap();
        let mut windows = base.clone();
        windows.towns[0].windows = vec![crate::model::Window { open: 0, close: 100 }];
        let mut prize = base.clone();
        prize.towns[1].prize = Some(3.0);
        let mut breaks = base.clone();
        breaks.fleet[0].fixed_cost = 10;
        for (p, word) in [(windows, "opening hours"), (prize, "optional"), (breaks, "money")] {
            assert!(
                matches!(write_vrp(&p), Err(Error::InvalidProblem(ref m)) if m.contains(word)),
                "{word}: {:?}",
                write_vrp(&p)
            );
        }
    }

    /// PyVRP's dialect with two capacity dimensions: a column per dimension
    /// in the demand, pickup and per-vehicle capacity sections.
    const TWO_DIMENSIONS: &str = "NAME : kg-m3\nTYPE : CVRP\nDIMENSION : 4\nVEHICLES : 2\nEDGE_WEIGHT_TYPE : EUC_2D\n\
        NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n4 -3 -4\nDEMAND_SECTION\n1 0 0\n2 4 2\n3 5 1\n4 0 0\n\
        BACKHAUL_SECTION\n1 0 0\n2 0 0\n3 0 0\n4 1 3\nCAPACITY_SECTION\n1 10 5\n2 10 5\n\
        DEPOT_SECTION\n1\n-1\nEOF\n";

    #[test]
    fn reads_several_capacity_dimensions_in_pyvrp_dialect() {
        let p = read_vrp(TWO_DIMENSIONS, "t.vrp").unwrap();
        assert_eq!(p.dimensions(), 2);
        assert_eq!(p.fleet.len(), 1);
        assert_eq!((p.fleet[0].capacity, p.fleet[0].extra_capacity.clone()), (10, vec![5]));
        assert_eq!(p.fleet[0].count, Some(2));
        let amounts: Vec<_> = p
            .towns
            .iter()
            .map(|t| (t.demand, t.extra_demand[0], t.pickup, t.extra_pickup[0]))
            .collect();
        assert_eq!(amounts, vec![(4, 2, 0, 0), (5, 1, 0, 0), (0, 0, 1, 3)]);
    }

    #[test]
    fn several_dimension_errors_name_the_line() {
        let cases = [
            // A row with a column fewer than the first.
            (
                TWO_DIMENSIONS.replace("3 5 1\n", "3 5\n"),
                Some(14),
                "1 demand column here, 2 on line 12",
            ),
            // Five columns: at most four dimensions.
            (
                TWO_DIMENSIONS.replace("2 4 2\n", "2 4 2 1 1 1\n"),
                Some(13),
                "1 to 4 demand columns",
            ),
            // Capacities of one dimension for demands of two.
            (
                TWO_DIMENSIONS.replace("1 10 5\n2 10 5", "1 10\n2 10"),
                Some(21),
                "vehicle 1 has 1 capacity columns, DEMAND_SECTION 2",
            ),
            // Pickups of one dimension.
            (
                TWO_DIMENSIONS.replace(
                    "BACKHAUL_SECTION\n1 0 0\n2 0 0\n3 0 0\n4 1 3",
                    "BACKHAUL_SECTION\n1 0\n2 0\n3 0\n4 1",
                ),
                Some(16),
                "BACKHAUL_SECTION has 1 pickup columns, DEMAND_SECTION 2",
            ),
        ];
        for (text, line, words) in cases {
            let (at, msg) = parse_err(&text);
            assert!(msg.contains(words), "{words}: {msg}");
            assert_eq!(at, line, "{msg}");
        }
        // A plain CVRP (one CAPACITY) with two demand columns.
        let plain = "NAME : p\nDIMENSION : 3\nCAPACITY : 10\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n\
                     2 3 4\n3 6 8\nDEMAND_SECTION\n1 0 0\n2 4 1\n3 5 1\nEOF\n";
        let (at, msg) = parse_err(plain);
        assert!(
            msg.contains("2 demand columns") && msg.contains("CAPACITY_SECTION"),
            "{msg}"
        );
        assert_eq!(at, Some(9));
        // One CAPACITY for the per-vehicle dialect with two columns.
        let header = TWO_DIMENSIONS
            .replace("CAPACITY_SECTION\n1 10 5\n2 10 5\n", "")
            .replace("VEHICLES : 2", "VEHICLES : 2\nCAPACITY : 10");
        let (_, msg) = parse_err(&header);
        assert!(msg.contains("CAPACITY gives one capacity dimension"), "{msg}");
    }

    #[test]
    fn several_dimensions_and_pickups_round_trip() {
        let p = read_vrp(TWO_DIMENSIONS, "t.vrp").unwrap();
        let out = write_vrp(&p).unwrap();
        assert!(out.contains("CAPACITY_SECTION\n1 10 5\n2 10 5\n"), "{out}");
        let q = read_vrp(&out, "out.vrp").unwrap();
        assert_eq!(q.towns, p.towns);
        assert_eq!(q.fleet, p.fleet);
        // Deliveries first is PyVRP's VRPB.
        let mut ordered = p.clone();
        ordered.pickup_order = PickupOrder::DeliveriesFirst;
        let out = write_vrp(&ordered).unwrap();
        assert!(out.contains("TYPE : VRPB"), "{out}");
        assert_eq!(
            read_vrp(&out, "b.vrp").unwrap().pickup_order,
            PickupOrder::DeliveriesFirst
        );
        // Per-vehicle capacities need a count.
        let mut unlimited = p.clone();
        unlimited.fleet[0].count = None;
        assert!(matches!(write_vrp(&unlimited), Err(Error::InvalidProblem(m)) if m.contains("count")));
    }
}
