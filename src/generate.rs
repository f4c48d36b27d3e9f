//! Clustered rural CVRP instances of any size, for scale benchmarks.
//!
//! [`rural_instance`] / [`write_rural_instance`] produce the text of a
//! CVRPLIB `.vrp` file (`EUC_2D`, integer coordinates, one depot) that
//! [`crate::io::read_vrp`] reads back. The same [`RuralSpec`] always gives
//! the same bytes (a `Pcg64Mcg` stream seeded with [`RuralSpec::seed`]).
//!
//! # Shape
//! * **Units**: one coordinate unit is 100 m, so the rounded Euclidean
//!   distances CVRPLIB uses are in hectometres.
//! * **Region**: a square `[0, side]²` with `side = max(100, ⌈20·√towns⌉)`,
//!   i.e. about one town per 4 km² whatever the size (20 km across for 100
//!   towns, 2,000 km for 1,000,000).
//! * **Market towns** ([`RuralSpec::market_towns`], default
//!   `max(1, round(towns / 150))`): placed uniformly over the region, demand
//!   10–40. Each gets a spread of 1.5–4 km and a weight in [0.5, 2).
//! * **Villages** (about 96 % of the rest): each picks a market town with
//!   probability proportional to its weight and lies at a normal-ish offset
//!   from it (per axis: spread × a sum of three uniforms scaled to variance
//!   1, so at most 3 spreads away); demand 1–10.
//! * **Farms** (the remaining ~4 %): isolated, uniform over the region;
//!   demand 1–5.
//! * **Depot**: one, node 1, near the corner of the region farthest from
//!   the market towns' weighted centroid (within `side / 20` of it on each
//!   axis), so routes have long stems from the depot.
//! * Every demand is at most [`RuralSpec::capacity`] (default
//!   [`RuralSpec::DEFAULT_CAPACITY`]); all coordinates are non-negative and
//!   pairwise distinct (a point landing on an occupied one is redrawn).
//!
//! Node order: depot, market towns, then villages and farms interleaved in
//! the order drawn.
//!
//! # National instances
//! [`NationalSpec`] / [`write_national_instance`] lay out several
//! **provinces**, each a rural region as above (its own market towns,
//! villages and farms, seeded from the national seed and the province's
//! number), on a grid with a quarter of a province's side between
//! neighbours, and give them [`NationalSpec::depots`] regional depots (at
//! least one per province: the first at the province's corner depot, the
//! others beside its largest market towns). The result is a JSON problem
//! (planar Euclidean, 1 unit = 100 m) with one unlimited vehicle type per
//! depot.
//!
//! # Formats
//! [`write_rural_instance_as`] and [`write_national_instance_as`] write
//! either kind as VRPLIB or as the JSON model ([`InstanceFormat`]; VRPLIB
//! only for one depot); the `_file` writers choose by the extension.

use crate::error::{Error, Result};
use crate::model::MAX_TOWNS;
use crate::rng::SeededRng;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

/// What to generate: how many towns, under which seed, for which vehicle
/// capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuralSpec {
    /// Number of towns (customers), depot excluded: 1 to [`MAX_TOWNS`].
    pub towns: usize,
    /// Seed of the random stream; the same spec gives the same file.
    pub seed: u64,
    /// Vehicle capacity (`CAPACITY`); every demand is at most this. Positive.
    pub capacity: u32,
    /// Number of market towns (cluster centres), `1..=towns`; `None` =
    /// `max(1, round(towns / 150))`.
    pub market_towns: Option<usize>,
}

impl RuralSpec {
    /// Capacity used by [`RuralSpec::new`].
    pub const DEFAULT_CAPACITY: u32 = 200;

    /// `towns` towns under `seed`, capacity [`Self::DEFAULT_CAPACITY`] and
    /// the default number of market towns.
    pub fn new(towns: usize, seed: u64) -> Self {
        RuralSpec {
            towns,
            seed,
            capacity: Self::DEFAULT_CAPACITY,
            market_towns: None,
        }
    }

    /// The instance name written as `NAME`: `rural-n{towns}-s{seed}`.
    pub fn name(&self) -> String {
        format!("rural-n{}-s{}", self.towns, self.seed)
    }

    /// Side of the square region in coordinate units (100 m).
    pub fn side(&self) -> u32 {
        ((20.0 * (self.towns as f64).sqrt()).ceil() as u32).max(100)
    }

    /// The number of market towns actually used.
    pub fn market_town_count(&self) -> usize {
        self.market_towns
            .unwrap_or_else(|| ((self.towns as f64 / 150.0).round() as usize).max(1))
    }

    /// Checks the flags: at least one town, at most [`MAX_TOWNS`], a positive
    /// capacity and `1..=towns` market towns.
    pub fn check(&self) -> Result<()> {
        let invalid = |field, value: String, reason| {
            Err(Error::InvalidValue {
                owner: "rural instance".into(),
                field,
                value,
                reason,
            })
        };
        if self.towns == 0 {
            return invalid("towns", "0".into(), "must be at least 1");
        }
        if self.towns > MAX_TOWNS {
            return Err(Error::TooLarge {
                what: "towns",
                value: self.towns as u64,
                limit: MAX_TOWNS as u64,
            });
        }
        if self.capacity == 0 {
            return invalid("capacity", "0".into(), "must be positive");
        }
        let markets = self.market_town_count();
        if markets == 0 || markets > self.towns {
            return invalid(
                "market_towns",
                markets.to_string(),
                "must be between 1 and the number of towns",
            );
        }
        Ok(())
    }
}

/// A national instance: `towns` towns in `provinces` provinces served from
/// `depots` regional depots (see the [module docs](self#national-instances)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalSpec {
    /// Towns over all provinces, `provinces..=`[`MAX_TOWNS`].
    pub towns: usize,
    /// Provinces, at least 1.
    pub provinces: usize,
    /// Depots, at least one per province, at most one per town.
    pub depots: usize,
    /// Seed of the random streams; the same spec gives the same file.
    pub seed: u64,
    /// Vehicle capacity; every demand is at most this. Positive.
    pub capacity: u32,
}

impl NationalSpec {
    /// The instance name: `national-n{towns}-p{provinces}-d{depots}-s{seed}`.
    pub fn name(&self) -> String {
        format!(
            "national-n{}-p{}-d{}-s{}",
            self.towns, self.provinces, self.depots, self.seed
        )
    }

    /// Checks the flags (see the fields).
    pub fn check(&self) -> Result<()> {
        let invalid = |field, value: usize, reason| {
            Err(Error::InvalidValue {
                owner: "national instance".into(),
                field,
                value: value.to_string(),
                reason,
            })
        };
        if self.provinces == 0 {
            return invalid("provinces", 0, "must be at least 1");
        }
        if self.towns < self.provinces {
            return invalid("towns", self.towns, "must be at least one per province");
        }
        // Checked on the whole, not only per province: many provinces of
        // allowed size could still add up to an absurd problem.
        if self.towns > MAX_TOWNS {
            return Err(Error::TooLarge {
                what: "towns",
                value: self.towns as u64,
                limit: MAX_TOWNS as u64,
            });
        }
        if self.depots < self.provinces || self.depots > self.towns {
            return invalid(
                "depots",
                self.depots,
                "must be at least one per province and at most one per town",
            );
        }
        // Each province is a rural instance: its checks apply too.
        self.province(0).check()
    }

    /// Province `p`'s rural spec: towns shared out evenly, its own seed.
    fn province(&self, p: usize) -> RuralSpec {
        let towns = self.towns / self.provinces + usize::from(p < self.towns % self.provinces);
        RuralSpec {
            towns,
            seed: self.seed ^ (p as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            capacity: self.capacity,
            market_towns: None,
        }
    }

    /// The problem, as the JSON model's [`ProblemSpec`](crate::model::ProblemSpec).
    pub fn problem_spec(&self) -> Result<crate::model::ProblemSpec> {
        use crate::model::{DepotSpec, Location, ProblemSpec, TownSpec, TravelSpec, VehicleTypeSpec};
        self.check()?;
        let grid = (self.provinces as f64).sqrt().ceil() as usize;
        let side = self.province(0).side();
        let cell = f64::from(side + side / 4);
        let mut spec = ProblemSpec {
            name: self.name(),
            travel: Some(TravelSpec::Euclidean),
            ..ProblemSpec::default()
        };
        spec.towns.reserve(self.towns);
        for p in 0..self.provinces {
            let rural = self.province(p);
            let nodes = generate(&rural);
            let (ox, oy) = ((p % grid) as f64 * cell, (p / grid) as f64 * cell);
            let at = |x: u32, y: u32| Location::Planar {
                x: ox + f64::from(x),
                y: oy + f64::from(y),
            };
            let depots = self.depots / self.provinces + usize::from(p < self.depots % self.provinces);
            // The corner depot, then depots beside the market towns with
            // the most demand (node 1.. are the market towns).
            let mut markets: Vec<usize> = (1..=rural.market_town_count()).collect();
            markets.sort_by_key(|&i| (std::cmp::Reverse(nodes[i].demand), i));
            let sites = std::iter::once((nodes[0].x, nodes[0].y))
                .chain(markets.iter().map(|&i| (nodes[i].x + 1, nodes[i].y)))
                .chain((rural.market_town_count() + 1..nodes.len()).map(|i| (nodes[i].x + 1, nodes[i].y)));
            for (k, (x, y)) in sites.take(depots).enumerate() {
                let id = format!("p{}-d{}", p + 1, k + 1);
                spec.depots.push(DepotSpec {
                    id: id.clone(),
                    name: format!("province {} depot {}", p + 1, k + 1),
                    location: at(x, y),
                    hours: None,
                });
                spec.fleet
                    .push(VehicleTypeSpec::new(format!("van-{id}"), id, f64::from(self.capacity)));
            }
            for (i, n) in nodes.iter().enumerate().skip(1) {
                spec.towns.push(TownSpec::new(
                    format!("p{}-t{i}", p + 1),
                    at(n.x, n.y),
                    f64::from(n.demand),
                ));
            }
        }
        Ok(spec)
    }
}

/// Writes the national instance for `spec` as a JSON problem to `writer`.
/// An unusable spec gives [`Error::InvalidValue`] or [`Error::TooLarge`]
/// before anything is written; a failing writer [`Error::Io`].
///
/// ```
/// use backroads::generate::{NationalSpec, write_national_instance};
/// let spec = NationalSpec { towns: 600, provinces: 4, depots: 6, seed: 1, capacity: 200 };
/// let mut json = Vec::new();
/// write_national_instance(&spec, &mut json)?;
/// let problem = backroads::io::read_problem_json(std::str::from_utf8(&json).unwrap(), "national", None)?;
/// assert_eq!((problem.towns.len(), problem.depots.len()), (600, 6));
/// # Ok::<(), backroads::Error>(())
/// ```
pub fn write_national_instance(spec: &NationalSpec, writer: impl Write) -> Result<()> {
    let problem = spec.problem_spec()?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, writer);
    serde_json::to_writer(&mut w, &problem).map_err(|e| Error::io("<output>", std::io::Error::other(e)))?;
    w.flush().map_err(|e| Error::io("<output>", e))
}

/// What a generated instance is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceFormat {
    /// CVRPLIB `.vrp` text (one depot only).
    Vrplib,
    /// The JSON problem model.
    Json,
}

impl InstanceFormat {
    /// The format a file name asks for: `.vrp` or `.json` (any case);
    /// `None` for any other name.
    pub fn of_path(path: &Path) -> Option<InstanceFormat> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("vrp") {
            Some(InstanceFormat::Vrplib)
        } else if ext.eq_ignore_ascii_case("json") {
            Some(InstanceFormat::Json)
        } else {
            None
        }
    }
}

/// Writes the national instance for `spec` in `format`. VRPLIB holds one
/// depot: a spec with several depots is refused with
/// [`Error::InvalidProblem`] before anything is written (as are unusable
/// specs, see [`write_national_instance`]).
pub fn write_national_instance_as(spec: &NationalSpec, format: InstanceFormat, writer: impl Write) -> Result<()> {
    match format {
        InstanceFormat::Json => write_national_instance(spec, writer),
        InstanceFormat::Vrplib => {
            let text = national_vrp(spec)?;
            write_all(writer, text.as_bytes(), "<output>")
        }
    }
}

/// Writes the national instance for `spec` to the file `path` (created or
/// truncated) in the format its extension names: VRPLIB for `.vrp` (one
/// depot only; refused before the file is created otherwise), JSON for
/// `.json` and any other name. I/O errors name `path`.
pub fn write_national_instance_file(spec: &NationalSpec, path: &Path) -> Result<()> {
    if InstanceFormat::of_path(path) == Some(InstanceFormat::Vrplib) {
        let text = national_vrp(spec)?;
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        return write_all(file, text.as_bytes(), &path.display().to_string());
    }
    spec.check()?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_national_instance(spec, file).map_err(naming(path))
}

/// The national instance as `.vrp` text: possible with one depot only.
fn national_vrp(spec: &NationalSpec) -> Result<String> {
    spec.check()?;
    if spec.depots != 1 {
        return Err(Error::InvalidProblem(format!(
            "cannot write national instance '{}' as VRPLIB (.vrp): VRPLIB holds one depot and this instance has {}; \
             write it as JSON (.json)",
            spec.name(),
            spec.depots
        )));
    }
    crate::io::vrplib::write_vrp(&crate::model::Problem::from_spec(spec.problem_spec()?)?)
}

/// Writes the rural instance for `spec` in `format`: VRPLIB (see
/// [`write_rural_instance`]) or the same problem as a JSON model (what
/// [`crate::io::read_vrp`] makes of the `.vrp`: depot `1`, towns `2`..,
/// one unlimited vehicle type, nearest-integer Euclidean distances).
pub fn write_rural_instance_as(spec: &RuralSpec, format: InstanceFormat, writer: impl Write) -> Result<()> {
    match format {
        InstanceFormat::Vrplib => write_rural_instance(spec, writer),
        InstanceFormat::Json => {
            let problem = crate::io::read_vrp(&rural_instance(spec)?, &spec.name())?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, writer);
            serde_json::to_writer(&mut w, &problem.to_spec())
                .map_err(|e| Error::io("<output>", std::io::Error::other(e)))?;
            w.flush().map_err(|e| Error::io("<output>", e))
        }
    }
}

/// Renames an I/O error written as `<output>` after the file `path`.
fn naming(path: &Path) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Io { source, .. } => Error::io(path, source),
        other => other,
    }
}

/// `bytes` to `writer`, I/O errors naming `name`.
fn write_all(mut writer: impl Write, bytes: &[u8], name: &str) -> Result<()> {
    writer
        .write_all(bytes)
        .and_then(|()| writer.flush())
        .map_err(|e| Error::io(name, e))
}

/// Share of the non-market towns that are isolated farms.
const FARM_SHARE: f64 = 0.04;

/// The text of the `.vrp` file for `spec` (see the [module docs](self)).
///
/// ```
/// use backroads::generate::{RuralSpec, rural_instance};
/// let text = rural_instance(&RuralSpec::new(300, 7))?;
/// let problem = backroads::io::read_vrp(&text, "generated")?;
/// assert_eq!(problem.name, "rural-n300-s7");
/// assert_eq!(problem.towns.len(), 300);
/// # Ok::<(), backroads::Error>(())
/// ```
pub fn rural_instance(spec: &RuralSpec) -> Result<String> {
    let mut out = Vec::with_capacity(spec.towns.saturating_mul(20).min(1 << 30) + 512);
    write_rural_instance(spec, &mut out)?;
    // Only ASCII is written.
    Ok(String::from_utf8(out).expect("generated text is ASCII"))
}

/// Writes the `.vrp` text for `spec` to `writer` (buffered internally).
/// A failing writer gives [`Error::Io`] with the path `<output>`; an
/// unusable spec gives [`Error::InvalidValue`] or [`Error::TooLarge`]
/// before anything is written.
pub fn write_rural_instance(spec: &RuralSpec, writer: impl Write) -> Result<()> {
    write_to(spec, writer).map_err(|e| match e {
        Failure::Spec(e) => e,
        Failure::Io(e) => Error::io("<output>", e),
    })
}

/// Writes the instance for `spec` to the file `path` (created or
/// truncated) in the format its extension names: the JSON model for
/// `.json` ([`write_rural_instance_as`]), `.vrp` text for `.vrp` and any
/// other name. I/O errors name `path`.
pub fn write_rural_instance_file(spec: &RuralSpec, path: &Path) -> Result<()> {
    spec.check()?;
    if InstanceFormat::of_path(path) == Some(InstanceFormat::Json) {
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        return write_rural_instance_as(spec, InstanceFormat::Json, file).map_err(naming(path));
    }
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_to(spec, file).map_err(|e| match e {
        Failure::Spec(e) => e,
        Failure::Io(e) => Error::io(path, e),
    })
}

enum Failure {
    Spec(Error),
    Io(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

fn write_to(spec: &RuralSpec, writer: impl Write) -> std::result::Result<(), Failure> {
    spec.check().map_err(Failure::Spec)?;
    let nodes = generate(spec);
    let mut w = std::io::BufWriter::with_capacity(1 << 16, writer);
    let markets = spec.market_town_count();
    writeln!(w, "NAME : {}", spec.name())?;
    writeln!(
        w,
        "COMMENT : generated by backroads (backroads generate --towns {} --seed {} --capacity {} \
         --market-towns {markets}); clustered rural CVRP, 1 unit = 100 m, {} x {} region, \
         villages around {markets} market towns plus isolated farms, depot near a corner",
        spec.towns,
        spec.seed,
        spec.capacity,
        spec.side(),
        spec.side(),
    )?;
    writeln!(w, "TYPE : CVRP")?;
    writeln!(w, "DIMENSION : {}", nodes.len())?;
    writeln!(w, "EDGE_WEIGHT_TYPE : EUC_2D")?;
    writeln!(w, "CAPACITY : {}", spec.capacity)?;
    writeln!(w, "NODE_COORD_SECTION")?;
    for (i, n) in nodes.iter().enumerate() {
        writeln!(w, "{} {} {}", i + 1, n.x, n.y)?;
    }
    writeln!(w, "DEMAND_SECTION")?;
    for (i, n) in nodes.iter().enumerate() {
        writeln!(w, "{} {}", i + 1, n.demand)?;
    }
    writeln!(w, "DEPOT_SECTION\n1\n-1\nEOF")?;
    w.flush()?;
    Ok(())
}

/// One generated node: position and demand (0 for the depot).
struct Node {
    x: u32,
    y: u32,
    demand: u32,
}

/// Normal-ish with mean 0 and variance 1: three uniforms summed, centred
/// and scaled; within ±3.
fn bell(r: &mut SeededRng) -> f64 {
    2.0 * (r.unit() + r.unit() + r.unit() - 1.5)
}

/// Keeps coordinates pairwise distinct.
struct Occupied {
    side: u32,
    taken: HashSet<u64>,
}

impl Occupied {
    fn key(x: u32, y: u32) -> u64 {
        (u64::from(x) << 32) | u64::from(y)
    }

    /// Claims the first free point drawn by `draw` (up to 16 tries); after
    /// that, the first free point scanning east then north from the last
    /// draw. The region always has far more points than nodes.
    fn claim(&mut self, rng: &mut SeededRng, mut draw: impl FnMut(&mut SeededRng) -> (u32, u32)) -> (u32, u32) {
        let mut p = (0, 0);
        for _ in 0..16 {
            p = draw(rng);
            if self.taken.insert(Self::key(p.0, p.1)) {
                return p;
            }
        }
        let (mut x, mut y) = p;
        loop {
            x += 1;
            if x > self.side {
                x = 0;
                y = if y >= self.side { 0 } else { y + 1 };
            }
            if self.taken.insert(Self::key(x, y)) {
                return (x, y);
            }
        }
    }
}

fn generate(spec: &RuralSpec) -> Vec<Node> {
    let side = spec.side();
    let sidef = f64::from(side);
    let markets = spec.market_town_count();
    let cap = spec.capacity;
    let mut rng = SeededRng::from_seed(spec.seed);
    let mut occupied = Occupied {
        side,
        taken: HashSet::with_capacity(spec.towns + 1),
    };
    let mut nodes = Vec::with_capacity(spec.towns + 1);
    let uniform = |r: &mut SeededRng| (r.between(0, side), r.between(0, side));

    nodes.push(Node { x: 0, y: 0, demand: 0 }); // the depot, placed below

    // Market towns: uniform, each with a spread (units) and a cumulative weight.
    let mut centres = Vec::with_capacity(markets);
    let mut cumulative = Vec::with_capacity(markets);
    let mut total = 0.0;
    for _ in 0..markets {
        let (x, y) = occupied.claim(&mut rng, uniform);
        let demand = rng.between(10, 40).min(cap);
        nodes.push(Node { x, y, demand });
        let spread = 15.0 + 25.0 * rng.unit();
        total += 0.5 + 1.5 * rng.unit();
        centres.push((f64::from(x), f64::from(y), spread));
        cumulative.push(total);
    }

    // Depot near the corner farthest from the market towns' weighted centroid.
    let (mut wx, mut wy, mut previous) = (0.0, 0.0, 0.0);
    for (&(x, y, _), &c) in centres.iter().zip(&cumulative) {
        wx += x * (c - previous);
        wy += y * (c - previous);
        previous = c;
    }
    let west = wx / total > sidef / 2.0;
    let south = wy / total > sidef / 2.0;
    let near = side / 20;
    let (x, y) = occupied.claim(&mut rng, |r| {
        let (dx, dy) = (r.between(0, near), r.between(0, near));
        (if west { dx } else { side - dx }, if south { dy } else { side - dy })
    });
    nodes[0] = Node { x, y, demand: 0 };

    // Villages around market towns, and isolated farms.
    for _ in markets..spec.towns {
        if rng.unit() < FARM_SHARE {
            let (x, y) = occupied.claim(&mut rng, uniform);
            let demand = rng.between(1, 5).min(cap);
            nodes.push(Node { x, y, demand });
            continue;
        }
        let pick = rng.unit() * total;
        let m = cumulative.partition_point(|&c| c <= pick).min(markets - 1);
        let (cx, cy, spread) = centres[m];
        let (x, y) = occupied.claim(&mut rng, |r| {
            // Redraw offsets that leave the region a few times, then clamp.
            let mut p = (cx, cy);
            for _ in 0..4 {
                p = (cx + spread * bell(r), cy + spread * bell(r));
                if (0.0..=sidef).contains(&p.0) && (0.0..=sidef).contains(&p.1) {
                    break;
                }
            }
            (
                p.0.round().clamp(0.0, sidef) as u32,
                p.1.round().clamp(0.0, sidef) as u32,
            )
        });
        let demand = rng.between(1, 10).min(cap);
        nodes.push(Node { x, y, demand });
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    #[test]
    fn national_instances_have_their_provinces_and_depots() {
        let spec = NationalSpec {
            towns: 3001,
            provinces: 5,
            depots: 12,
            seed: 3,
            capacity: 150,
        };
        let a = spec.problem_spec().unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&spec.problem_spec().unwrap()).unwrap()
        );
        let p = crate::model::Problem::from_spec(a).unwrap();
        assert_eq!((p.towns.len(), p.depots.len(), p.fleet.len()), (3001, 12, 12));
        assert!(p.fleet.iter().all(|v| v.count.is_none() && v.capacity == 150));
        assert!(p.towns.iter().all(|t| (1..=150).contains(&t.demand)));
        // Every province has a depot: towns p{k}-… and depots p{k}-… for each k.
        for k in 1..=5 {
            let prefix = format!("p{k}-");
            assert!(p.depots.iter().any(|d| d.id.starts_with(&prefix)), "{k}");
            assert!(p.towns.iter().filter(|t| t.id.starts_with(&prefix)).count() >= 600);
        }
        for bad in [
            NationalSpec {
                provinces: 0,
                ..spec.clone()
            },
            NationalSpec {
                depots: 4,
                ..spec.clone()
            },
            NationalSpec {
                towns: 4,
                ..spec.clone()
            },
            NationalSpec {
                capacity: 0,
                ..spec.clone()
            },
            NationalSpec {
                towns: MAX_TOWNS * 10,
                provinces: 100,
                ..spec.clone()
            },
        ] {
            assert!(bad.problem_spec().is_err(), "{bad:?}");
        }
    }

    fn xy(l: &Location) -> (f64, f64) {
        match *l {
            Location::Planar { x, y } => (x, y),
            Location::Geo { .. } => panic!("planar expected"),
        }
    }

    #[test]
    fn same_spec_same_text_other_seed_other_text() {
        let a = rural_instance(&RuralSpec::new(1000, 5)).unwrap();
        let b = rural_instance(&RuralSpec::new(1000, 5)).unwrap();
        let c = rural_instance(&RuralSpec::new(1000, 6)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.starts_with("NAME : rural-n1000-s5\nCOMMENT : generated by backroads"));
    }

    #[test]
    fn string_and_writer_agree() {
        let spec = RuralSpec::new(400, 11);
        let mut bytes = Vec::new();
        write_rural_instance(&spec, &mut bytes).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), rural_instance(&spec).unwrap());
    }

    #[test]
    fn parses_into_a_rural_problem() {
        for (towns, capacity) in [(1, 200), (100, 200), (2000, 200), (700, 25)] {
            let spec = RuralSpec {
                capacity,
                ..RuralSpec::new(towns, 42)
            };
            let text = rural_instance(&spec).unwrap();
            let p = crate::io::read_vrp(&text, "generated").unwrap();
            assert_eq!(p.name, spec.name());
            assert_eq!(p.towns.len(), towns);
            assert_eq!(p.depots.len(), 1);
            assert_eq!(p.fleet[0].capacity, capacity);
            assert!(p.towns.iter().all(|t| (1..=capacity).contains(&t.demand)));
            let side = f64::from(spec.side());
            let mut seen = HashSet::new();
            for l in p.locations() {
                let (x, y) = xy(&l);
                assert!((0.0..=side).contains(&x) && (0.0..=side).contains(&y));
                assert_eq!(x.fract(), 0.0);
                assert!(seen.insert((x as u64, y as u64)), "duplicate point {x} {y}");
            }
            // The depot is far from the towns' centroid (a long stem).
            let n = towns as f64;
            let (sx, sy) = p
                .towns
                .iter()
                .map(|t| xy(&t.location))
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            let (dx, dy) = xy(&p.depots[0].location);
            let far = ((sx / n - dx).powi(2) + (sy / n - dy).powi(2)).sqrt();
            assert!(far > 0.4 * side, "{towns}: depot {far} from centroid, side {side}");
        }
    }

    #[test]
    fn towns_are_clustered() {
        // Most towns lie within 12 km of their nearest market town.
        let spec = RuralSpec::new(3000, 1);
        let p = crate::io::read_vrp(&rural_instance(&spec).unwrap(), "g").unwrap();
        let markets: Vec<_> = p.towns[..spec.market_town_count()]
            .iter()
            .map(|t| xy(&t.location))
            .collect();
        assert_eq!(markets.len(), 20);
        let near = p.towns[markets.len()..]
            .iter()
            .filter(|t| {
                let (x, y) = xy(&t.location);
                markets.iter().any(|&(mx, my)| (x - mx).hypot(y - my) <= 120.0)
            })
            .count();
        assert!(near as f64 > 0.9 * (3000 - markets.len()) as f64, "{near}");
    }

    #[test]
    fn bad_specs_are_refused() {
        let err = rural_instance(&RuralSpec::new(0, 1)).unwrap_err();
        assert!(matches!(err, Error::InvalidValue { field: "towns", .. }), "{err}");
        let err = rural_instance(&RuralSpec::new(MAX_TOWNS + 1, 1)).unwrap_err();
        assert!(matches!(err, Error::TooLarge { what: "towns", .. }), "{err}");
        let spec = RuralSpec {
            capacity: 0,
            ..RuralSpec::new(10, 1)
        };
        let err = rural_instance(&spec).unwrap_err();
        assert!(err.to_string().contains("capacity"), "{err}");
        for markets in [0, 11] {
            let spec = RuralSpec {
                market_towns: Some(markets),
                ..RuralSpec::new(10, 1)
            };
            assert!(rural_instance(&spec).is_err());
        }
        let spec = RuralSpec {
            market_towns: Some(10),
            ..RuralSpec::new(10, 1)
        };
        assert_eq!(
            crate::io::read_vrp(&rural_instance(&spec).unwrap(), "g")
                .unwrap()
                .towns
                .len(),
            10
        );
    }
}
