//! OpenStreetMap `.osm.pbf` import: the drivable road graph of an extract,
//! with the shape of every road segment and the settlements (place nodes)
//! to deliver to. Needs the cargo feature `osm` (on by default).
//!
//! The rules are those of the reference converter
//! `shared/tools/osm_to_graph.py` (described in `shared/data/osm/README.md`),
//! so that with default options and `keep_largest_scc: false` this import
//! reproduces its `nodes.csv`, `edges.csv` and `settlements.csv` (see
//! [`OsmImport::write_csv_dir`]; byte for byte on North-Bayreuth). Two
//! columns can differ elsewhere: a `population` tag that is not a whole
//! number is written empty (the reference keeps the raw tag), and so is
//! `maxspeed_kmh` for `maxspeed=0` (the reference writes 0).
//!
//! # What is imported
//!
//! * **Roads**: ways whose `highway` is `motorway`, `trunk`, `primary`,
//!   `secondary`, `tertiary` (each also as `*_link`), `unclassified`,
//!   `residential`, `living_street`, `service`, `track` or `road`, unless
//!   tagged `area=yes`.
//! * **Access**: the most specific of `motorcar`, `motor_vehicle`, `vehicle`
//!   and `access` that is present decides; `no`, `private`, `agricultural`,
//!   `forestry` (and `agricultural;forestry`) leave the way out, anything else
//!   (`destination`, `delivery`, `customers`, ...) keeps it: a delivery van
//!   may use those.
//! * **One-way**: `oneway=yes`/`true`/`1` is one-way in drawing direction,
//!   `oneway=-1` one-way against it (the segment is flipped so `from → to` is
//!   always the allowed direction); `no`/`false`/`0`/`reversible`/`alternating`
//!   are two-way; without a `oneway` tag, `motorway`, `motorway_link` and
//!   `junction=roundabout`/`circular` are one-way.
//! * **Speed**: a numeric `maxspeed` (`"70"`, `"50.5"`) in km/h or `"N mph"`
//!   (converted, 1 mph = 1.609344 km/h), rounded to whole km/h (ties to even,
//!   like the reference); anything else (`none`, `DE:rural`, `signals`, lists
//!   such as `"50;30"`, zero) falls back to the class default of
//!   [`RoadClass::default_speed_kmh`] (motorway 110 … track 15 km/h). The
//!   network's travel time is then `length_m * 3600 / speed_kmh`, exactly as
//!   [`super::road_csv`] computes it.
//! * **Graph**: a graph node (junction) is an OSM node that ends a way or
//!   appears two or more times in the drivable ways (shared by two ways or
//!   repeated in one). The shape nodes between them are dropped from the
//!   graph but kept as each segment's polyline ([`OsmSegment::geometry`]). A
//!   segment that would start and end at the same node is split at its middle
//!   shape node (no self-loops); parallel segments can occur. Lengths are the
//!   haversine length along the full geometry (R = 6,371,008.8 m), rounded to
//!   0.1 m like the reference CSV. Junction ids are the OSM node ids.
//! * **Settlements**: nodes tagged `place=` one of
//!   [`OsmOptions::settlement_places`] (default town, village, hamlet,
//!   isolated_dwelling), and ways with such a tag (at the mean of their node
//!   coordinates), each snapped to the nearest junction of the largest
//!   strongly connected component, so every pair of settlements is routable.
//!
//! # What is left out, and why
//!
//! * `path`, `footway`, `cycleway`, `bridleway`, `steps`, `pedestrian`,
//!   construction and proposed roads and every other `highway` value: a van
//!   cannot or may not drive there.
//! * Ways closed to motor vehicles (above), and ways naming a node the file
//!   does not contain (counted in [`ImportStats::ways_missing_nodes`]).
//! * Optionally, tracks ([`OsmOptions::include_tracks`]) or tracks of some
//!   `tracktype` grades ([`OsmOptions::avoid_tracktypes`]; grade1 = paved …
//!   grade5 = soft field track): in North-Bayreuth 292 of the 510 km are
//!   tracks, most of them field tracks a loaded van should not take. A track
//!   without `tracktype` is kept.
//! * By default ([`OsmOptions::keep_largest_scc`]) everything outside the
//!   largest strongly connected component: junctions there cannot reach, or
//!   cannot be reached from, the rest (roads running out of the extract,
//!   one-way dead ends), so a route through them could not return.
//! * Turn restrictions, barriers, time-dependent access and relations are not
//!   read.
//!
//! # Errors
//!
//! A missing or unreadable file is [`Error::Io`]; a file that is not an OSM
//! PBF, is corrupt or truncated, or holds no drivable road is
//! [`Error::Parse`] naming the file (no line). A file cut exactly at a block
//! boundary is a valid, smaller PBF and cannot be told apart.
//!
//! ```no_run
//! use backroads::io::osm::{OsmOptions, import_pbf};
//! let opts = OsmOptions { avoid_tracktypes: vec![4, 5], ..OsmOptions::default() };
//! let osm = import_pbf(std::path::Path::new("north-bayreuth.osm.pbf"), &opts)?;
//! println!("{} junctions, {:.1} km", osm.stats.junctions, osm.stats.total_length_m / 1000.0);
//! # Ok::<(), backroads::Error>(())
//! ```
//!
//! Map data © OpenStreetMap contributors, ODbL 1.0: networks imported from
//! OSM, and files written from them, stay under the ODbL.

use crate::error::{Error, Result};
use crate::model::{RoadClass, RoadNetwork};
use osmpbf::{Blob, BlobDecode, BlobReader, BlobType, Element, PrimitiveBlock};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Earth radius of the haversine lengths, metres (as the reference converter).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// `highway` values a delivery van may drive on.
const DRIVABLE: [&str; 16] = [
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "track",
    "road",
];

/// Access values that close a way to a delivery van.
const BLOCKED: [&str; 5] = ["no", "private", "agricultural", "forestry", "agricultural;forestry"];

/// Access keys, most specific first: the first one present decides.
const ACCESS_KEYS: [&str; 4] = ["motorcar", "motor_vehicle", "vehicle", "access"];

/// Header features this reader understands.
const SUPPORTED_FEATURES: [&str; 2] = ["OsmSchema-V0.6", "DenseNodes"];

/// What to import.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmOptions {
    /// `tracktype` grades (1 = paved … 5 = soft) of `highway=track` ways to
    /// leave out, e.g. `[4, 5]` for field tracks. Tracks without a
    /// `tracktype` are kept. Default: none.
    pub avoid_tracktypes: Vec<u8>,
    /// Import `highway=track` at all. Default `true`.
    pub include_tracks: bool,
    /// Keep only the largest strongly connected component. Default `true`.
    pub keep_largest_scc: bool,
    /// `place=*` values imported as settlements. Default `village`,
    /// `hamlet`, `town`, `isolated_dwelling`.
    pub settlement_places: Vec<String>,
}

impl Default for OsmOptions {
    fn default() -> Self {
        OsmOptions {
            avoid_tracktypes: Vec::new(),
            include_tracks: true,
            keep_largest_scc: true,
            settlement_places: ["village", "hamlet", "town", "isolated_dwelling"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// Which kind of OSM element a settlement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmElementType {
    /// A `place=*` node.
    Node,
    /// A `place=*` way (an area), placed at the mean of its node coordinates.
    Way,
}

impl OsmElementType {
    /// `"node"` or `"way"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OsmElementType::Node => "node",
            OsmElementType::Way => "way",
        }
    }
}

/// A settlement (`place=village`, `hamlet`, ...) of the extract.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// Element kind of `osm_id`.
    pub osm_type: OsmElementType,
    /// OSM node (or way) id.
    pub osm_id: i64,
    /// The `name` tag (empty when missing).
    pub name: String,
    /// The `place` tag.
    pub place: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// The `population` tag when it is a whole number.
    pub population: Option<u64>,
    /// Nearest junction (OSM node id) in the largest strongly connected
    /// component, whether or not the rest was removed.
    pub node: i64,
    /// Haversine distance to `node`, metres.
    pub snap_m: f64,
}

/// One road segment between two junctions: a row of `edges.csv`. A two-way
/// segment is two arcs of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmSegment {
    /// Start junction (OSM node id).
    pub from: i64,
    /// End junction (OSM node id).
    pub to: i64,
    /// Haversine length along the geometry, metres, rounded to 0.1 m.
    pub length_m: f64,
    /// The `highway` tag.
    pub highway: String,
    /// The raw `maxspeed` tag (may be empty).
    pub maxspeed: String,
    /// The speed limit in whole km/h when `maxspeed` is a number or "N mph".
    pub maxspeed_kmh: Option<f64>,
    /// Only drivable `from → to` (ways tagged `oneway=-1` are flipped).
    pub oneway: bool,
    /// The raw `tracktype` tag (may be empty).
    pub tracktype: String,
    /// The OSM way the segment is part of.
    pub way_id: i64,
    /// Shape points `[lon, lat]` from `from` to `to`, both ends included.
    pub geometry: Vec<[f64; 2]>,
}

impl OsmSegment {
    /// The road class of the `highway` tag.
    pub fn class(&self) -> RoadClass {
        RoadClass::from_highway(&self.highway)
    }
}

/// Counts and timing of an import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportStats {
    /// Junctions in the resulting network.
    pub junctions: usize,
    /// Road segments in the result (a two-way road between two junctions
    /// counts once; [`RoadNetwork::num_segments`] counts arcs).
    pub segments: usize,
    /// Directed arcs of the network (two per two-way segment).
    pub arcs: usize,
    /// One-way segments in the result.
    pub oneway_segments: usize,
    /// Total length of the segments, metres.
    pub total_length_m: f64,
    /// Length in metres by `highway` value (`motorway_link` apart from
    /// `motorway`), over the result.
    pub length_by_class: BTreeMap<String, f64>,
    /// Drivable ways that went into the graph.
    pub ways_used: usize,
    /// Ways with a drivable `highway` closed to motor vehicles.
    pub ways_excluded_by_access: usize,
    /// Tracks left out by [`OsmOptions::include_tracks`] or
    /// [`OsmOptions::avoid_tracktypes`].
    pub ways_excluded_by_options: usize,
    /// Drivable ways left out because the file lacks one of their nodes.
    pub ways_missing_nodes: usize,
    /// Junctions removed because they lie outside the largest strongly
    /// connected component (0 unless [`OsmOptions::keep_largest_scc`]).
    pub removed_outside_scc: usize,
    /// Road segments removed with them.
    pub segments_removed_outside_scc: usize,
    /// Junctions of the largest strongly connected component.
    pub largest_scc_junctions: usize,
    /// Wall-clock time of the whole import.
    pub elapsed: Duration,
}

/// The result of [`import_pbf`].
#[derive(Debug, Clone)]
pub struct OsmImport {
    /// The road network (junctions in ascending OSM id; arcs in the order of
    /// [`OsmImport::segments`]).
    pub network: RoadNetwork,
    /// The road segments with their tags and shape, in ascending way id and
    /// then drawing order; segment `i` gave the network's arc(s) in order.
    pub segments: Vec<OsmSegment>,
    /// By junction index: member of the largest strongly connected component
    /// (all `true` when the rest was removed).
    pub in_main_scc: Vec<bool>,
    /// Settlements, by element type and then id.
    pub settlements: Vec<Settlement>,
    /// Counts and timing.
    pub stats: ImportStats,
}

impl OsmImport {
    /// The shape `[lon, lat]` of the road from junction `from_id` to
    /// `to_id` (OSM ids), as [`ShapeLookup::shape`]. Scans all segments: for
    /// many look-ups build the index once with [`OsmImport::shapes`].
    pub fn shape(&self, from_id: i64, to_id: i64) -> Option<Vec<[f64; 2]>> {
        let mut best: Option<(usize, bool)> = None;
        for (i, s) in self.segments.iter().enumerate() {
            let fwd = s.from == from_id && s.to == to_id;
            let back = !s.oneway && s.from == to_id && s.to == from_id;
            if fwd || back {
                keep_shorter(&self.segments, &mut best, (i, !fwd));
            }
        }
        best.map(|b| oriented(&self.segments, b))
    }

    /// An index from junction pairs to segment shapes, to draw routes along
    /// the roads.
    pub fn shapes(&self) -> ShapeLookup<'_> {
        let mut by_arc: HashMap<(i64, i64), Option<(usize, bool)>> = HashMap::with_capacity(2 * self.segments.len());
        for (i, s) in self.segments.iter().enumerate() {
            keep_shorter(&self.segments, by_arc.entry((s.from, s.to)).or_default(), (i, false));
            if !s.oneway {
                keep_shorter(&self.segments, by_arc.entry((s.to, s.from)).or_default(), (i, true));
            }
        }
        let by_arc = by_arc.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
        ShapeLookup {
            segments: &self.segments,
            by_arc,
        }
    }

    /// Writes `nodes.csv` (`id,lat,lon,in_main_scc`).
    pub fn write_nodes_csv(&self, w: impl Write) -> Result<()> {
        let mut out = csv_writer(w);
        let res: csv::Result<()> = (|| {
            out.write_record(["id", "lat", "lon", "in_main_scc"])?;
            for (j, main) in self.network.junctions().zip(&self.in_main_scc) {
                out.write_record([
                    j.id.to_string(),
                    format!("{:.7}", j.lat),
                    format!("{:.7}", j.lon),
                    u8::from(*main).to_string(),
                ])?;
            }
            out.flush()?;
            Ok(())
        })();
        res.map_err(|e| csv_write_error("nodes.csv", e))
    }

    /// Writes `edges.csv`
    /// (`from,to,length_m,highway,maxspeed,maxspeed_kmh,oneway,tracktype,way_id`),
    /// the layout [`super::road_csv`] reads.
    pub fn write_edges_csv(&self, w: impl Write) -> Result<()> {
        let mut out = csv_writer(w);
        let res: csv::Result<()> = (|| {
            out.write_record([
                "from",
                "to",
                "length_m",
                "highway",
                "maxspeed",
                "maxspeed_kmh",
                "oneway",
                "tracktype",
                "way_id",
            ])?;
            for s in &self.segments {
                out.write_record([
                    s.from.to_string(),
                    s.to.to_string(),
                    format!("{:.1}", s.length_m),
                    s.highway.clone(),
                    s.maxspeed.clone(),
                    s.maxspeed_kmh.map(|v| v.to_string()).unwrap_or_default(),
                    u8::from(s.oneway).to_string(),
                    s.tracktype.clone(),
                    s.way_id.to_string(),
                ])?;
            }
            out.flush()?;
            Ok(())
        })();
        res.map_err(|e| csv_write_error("edges.csv", e))
    }

    /// Writes `settlements.csv`
    /// (`osm_type,osm_id,name,place,lat,lon,population,node,snap_m`).
    pub fn write_settlements_csv(&self, w: impl Write) -> Result<()> {
        let mut out = csv_writer(w);
        let res: csv::Result<()> = (|| {
            out.write_record([
                "osm_type",
                "osm_id",
                "name",
                "place",
                "lat",
                "lon",
                "population",
                "node",
                "snap_m",
            ])?;
            for s in &self.settlements {
                out.write_record([
                    s.osm_type.as_str().to_string(),
                    s.osm_id.to_string(),
                    s.name.clone(),
                    s.place.clone(),
                    format!("{:.7}", s.lat),
                    format!("{:.7}", s.lon),
                    s.population.map(|p| p.to_string()).unwrap_or_default(),
                    s.node.to_string(),
                    format!("{:.1}", s.snap_m),
                ])?;
            }
            out.flush()?;
            Ok(())
        })();
        res.map_err(|e| csv_write_error("settlements.csv", e))
    }

    /// Creates `dir` if needed and writes `nodes.csv`, `edges.csv` and
    /// `settlements.csv` into it.
    pub fn write_csv_dir(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let create = |name: &str| {
            let p = dir.join(name);
            std::fs::File::create(&p)
                .map(std::io::BufWriter::new)
                .map_err(|e| Error::io(&p, e))
        };
        let with_path = |name: &str, r: Result<()>| {
            r.map_err(|e| match e {
                Error::Io { source, .. } => Error::io(dir.join(name), source),
                other => other,
            })
        };
        with_path("nodes.csv", self.write_nodes_csv(create("nodes.csv")?))?;
        with_path("edges.csv", self.write_edges_csv(create("edges.csv")?))?;
        with_path(
            "settlements.csv",
            self.write_settlements_csv(create("settlements.csv")?),
        )
    }
}

/// Keeps `candidate` (segment index, reversed) in `best` if its segment is
/// strictly shorter (so among equals the first one stays).
fn keep_shorter(segments: &[OsmSegment], best: &mut Option<(usize, bool)>, candidate: (usize, bool)) {
    if best.is_none_or(|(b, _)| segments[candidate.0].length_m < segments[b].length_m) {
        *best = Some(candidate);
    }
}

/// The geometry of a segment, reversed if asked.
fn oriented(segments: &[OsmSegment], (i, reversed): (usize, bool)) -> Vec<[f64; 2]> {
    let mut g = segments[i].geometry.clone();
    if reversed {
        g.reverse();
    }
    g
}

/// Segment shapes by junction pair, from [`OsmImport::shapes`].
#[derive(Debug, Clone)]
pub struct ShapeLookup<'a> {
    segments: &'a [OsmSegment],
    by_arc: HashMap<(i64, i64), (usize, bool)>,
}

impl ShapeLookup<'_> {
    /// The shape `[lon, lat]` of the road from junction `from_id` to
    /// `to_id` (OSM ids), both ends included, following a segment drivable
    /// in that direction (reversed when it was drawn the other way). Among
    /// parallel segments, the shortest. `None` when no segment joins them
    /// in that direction.
    pub fn shape(&self, from_id: i64, to_id: i64) -> Option<Vec<[f64; 2]>> {
        self.by_arc.get(&(from_id, to_id)).map(|&b| oriented(self.segments, b))
    }

    /// The segment index (into [`OsmImport::segments`]) used from `from_id`
    /// to `to_id`, and whether it is followed against its drawing direction.
    pub fn segment(&self, from_id: i64, to_id: i64) -> Option<(usize, bool)> {
        self.by_arc.get(&(from_id, to_id)).copied()
    }

    /// The polyline of a path given as consecutive junction ids (the joints
    /// appear once). `None` if two consecutive junctions are not joined by
    /// a segment drivable in that direction; a single junction gives its
    /// point only if it has one in some segment, else `None`.
    pub fn path_shape(&self, junction_ids: &[i64]) -> Option<Vec<[f64; 2]>> {
        let mut out: Vec<[f64; 2]> = Vec::new();
        if let [only] = junction_ids {
            let (i, rev) = self.by_arc.iter().find(|(k, _)| k.0 == *only).map(|(_, v)| *v)?;
            let g = &self.segments[i].geometry;
            return Some(vec![if rev { g[g.len() - 1] } else { g[0] }]);
        }
        for w in junction_ids.windows(2) {
            let g = self.shape(w[0], w[1])?;
            let skip = usize::from(!out.is_empty());
            out.extend_from_slice(&g[skip..]);
        }
        Some(out)
    }
}

/// A CSV writer with `\n` line ends (as the reference files).
fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w)
}

fn csv_write_error(name: &str, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(name, io),
        other => Error::parse(name, None, format!("cannot write: {other:?}")),
    }
}

/// Imports the drivable road network and the settlements of an `.osm.pbf`
/// file (see the module docs for the rules).
/// The file must be a regular file of at most
/// [`DEFAULT_MAX_INPUT_BYTES`](super::DEFAULT_MAX_INPUT_BYTES); read it
/// with [`super::open_input`] and [`import_pbf_reader`] for another limit.
pub fn import_pbf(path: &Path, opts: &OsmOptions) -> Result<OsmImport> {
    let file = super::open_input(path, super::DEFAULT_MAX_INPUT_BYTES)?;
    import(BufReader::new(file), &path.display().to_string(), path, opts)
}

/// [`import_pbf`] from any seekable reader, e.g. a `Cursor` over the bytes or
/// a `BufReader` (the data is read twice, in small pieces: ways first, then
/// the coordinates of their nodes). `source_name` names the input in errors.
pub fn import_pbf_reader<R: Read + Seek + Send>(reader: R, source_name: &str, opts: &OsmOptions) -> Result<OsmImport> {
    import(reader, source_name, Path::new(source_name), opts)
}

// ---------------------------------------------------------------------------
// Reading blobs

/// Counts the bytes read, to spot bytes after the last complete block, and
/// keeps the first read error (osmpbf reports some of them as format errors).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
    error: Arc<Mutex<Option<std::io::Error>>>,
    /// The bytes of the blob being read (taken after each one).
    frame: Arc<Mutex<Vec<u8>>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.count.fetch_add(n as u64, Ordering::Relaxed);
                if let Ok(mut frame) = self.frame.lock() {
                    frame.extend_from_slice(buf.get(..n).unwrap_or_default());
                }
                Ok(n)
            }
            Err(e) => {
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof
                ) && let Ok(mut slot) = self.error.lock()
                {
                    slot.get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
                }
                Err(e)
            }
        }
    }
}

/// Where errors point: the input's label and path.
struct Source<'a> {
    name: &'a str,
    path: &'a Path,
}

impl Source<'_> {
    fn corrupt(&self, what: impl std::fmt::Display) -> Error {
        Error::parse(
            self.name,
            None,
            format!("not a valid OSM PBF file (corrupt or truncated): {what}"),
        )
    }

    fn pbf_error(&self, block: usize, e: osmpbf::Error) -> Error {
        match e.kind() {
            osmpbf::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                self.corrupt(format_args!("unexpected end of file in block {block}"))
            }
            osmpbf::ErrorKind::Io(_) => match e.into_kind() {
                osmpbf::ErrorKind::Io(io) => Error::io(self.path, io),
                other => self.corrupt(format_args!("block {block}: {other:?}")),
            },
            _ => self.corrupt(format_args!("block {block}: {e}")),
        }
    }
}

/// Reads all blobs of one pass in batches, decoding each batch in parallel
/// with `f(index, block)`; results come back in file order. Checks the
/// header block and trailing bytes.
fn for_each_block<R, T, S, F>(reader: &mut R, src: &Source<'_>, skip: S, f: F) -> Result<Vec<T>>
where
    R: Read + Seek + Send,
    S: Fn(usize) -> bool + Sync,
    T: Send + Default,
    F: Fn(usize, &PrimitiveBlock) -> T + Sync,
{
    let start = reader.stream_position().map_err(|e| Error::io(src.path, e))?;
    let count = Arc::new(AtomicU64::new(0));
    let read_error = Arc::new(Mutex::new(None));
    let frame = Arc::new(Mutex::new(Vec::new()));
    let counting = Counting {
        inner: &mut *reader,
        count: Arc::clone(&count),
        error: Arc::clone(&read_error),
        frame: Arc::clone(&frame),
    };
    let mut blobs = BlobReader::new(counting);
    let batch_len = (rayon::current_num_threads() * 4).max(8);
    let mut results = Vec::new();
    let mut index = 0usize;
    let mut end_of_last_block = 0u64;
    loop {
        let mut batch: Vec<(usize, Blob, Vec<u8>)> = Vec::with_capacity(batch_len);
        while batch.len() < batch_len {
            if let Ok(mut f) = frame.lock() {
                f.clear();
            }
            match blobs.next() {
                None => break,
                Some(Err(e)) => {
                    return Err(match read_error.lock().ok().and_then(|mut slot| slot.take()) {
                        Some(io) => Error::io(src.path, io),
                        None => src.pbf_error(index, e),
                    });
                }
                Some(Ok(blob)) => {
                    end_of_last_block = count.load(Ordering::Relaxed);
                    if index == 0 {
                        // Decoding a corrupt block may panic inside osmpbf:
                        // guarded like the data blocks below.
                        catch_unwind(AssertUnwindSafe(|| check_header(&blob, src))).unwrap_or_else(|_| {
                            Err(src.corrupt(format_args!("the header block could not be decoded")))
                        })?;
                    }
                    // The blob as read, for the coordinate check of data blocks.
                    let bytes = match blob.get_type() {
                        BlobType::OsmData => frame.lock().map(|mut f| std::mem::take(&mut *f)).unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    batch.push((index, blob, bytes));
                    index += 1;
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        let decoded: Vec<Result<T>> = batch
            .into_par_iter()
            .map(|(i, blob, bytes)| {
                if i == 0 || skip(i) {
                    return Ok(T::default());
                }
                if blob.get_type() == BlobType::OsmData {
                    check_coordinates(&bytes).map_err(|why| {
                        Error::parse(src.name, None, format!("not a valid OSM PBF file: block {i}: {why}"))
                    })?;
                }
                catch_unwind(AssertUnwindSafe(|| match blob.decode() {
                    Ok(BlobDecode::OsmData(block)) => Ok(f(i, &block)),
                    Ok(BlobDecode::OsmHeader(_)) => Err(src.corrupt(format_args!("block {i}: a second header block"))),
                    Ok(BlobDecode::Unknown(_)) => Ok(T::default()),
                    Err(e) => Err(src.pbf_error(i, e)),
                }))
                .unwrap_or_else(|_| Err(src.corrupt(format_args!("block {i} could not be decoded"))))
            })
            .collect();
        for r in decoded {
            results.push(r?);
        }
    }
    if index == 0 {
        let n = count.load(Ordering::Relaxed);
        return Err(if n == 0 {
            src.corrupt("the file is empty")
        } else {
            src.corrupt(format_args!("{n} byte(s) and no complete block: the file is truncated"))
        });
    }
    if count.load(Ordering::Relaxed) != end_of_last_block {
        return Err(src.corrupt(format_args!(
            "{} stray byte(s) after block {}: the file is truncated",
            count.load(Ordering::Relaxed) - end_of_last_block,
            index - 1
        )));
    }
    drop(blobs);
    reader
        .seek(SeekFrom::Start(start))
        .map_err(|e| Error::io(src.path, e))?;
    Ok(results)
}

fn check_header(blob: &Blob, src: &Source<'_>) -> Result<()> {
    match blob.decode() {
        Ok(BlobDecode::OsmHeader(h)) => {
            if let Some(f) = h
                .required_features()
                .iter()
                .find(|f| !SUPPORTED_FEATURES.contains(&f.as_str()))
            {
                return Err(Error::parse(
                    src.name,
                    None,
                    format!("the OSM PBF file needs the unsupported feature '{f}'"),
                ));
            }
            Ok(())
        }
        Ok(_) => Err(src.corrupt("the first block is not an OSMHeader block")),
        Err(e) => Err(src.pbf_error(0, e)),
    }
}

// ---------------------------------------------------------------------------
// Coordinates, checked

/// Most bytes a block decompresses to (osmpbf's limit).
const MAX_BLOCK_BYTES: u64 = 32 * 1024 * 1024;

/// Checks that osmpbf can compute every node coordinate of a data block
/// exactly. It sums the delta-coded dense values and computes
/// `offset + granularity × value` (nanodegrees) without overflow checks, so
/// a hostile block would wrap silently in release builds. `frame`: the
/// blob as read (length, blob header, blob). The error says which value
/// does not fit.
fn check_coordinates(frame: &[u8]) -> std::result::Result<(), String> {
    let malformed = || "malformed data block".to_string();
    let header_len = frame
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes)
        .ok_or_else(malformed)?;
    let blob = usize::try_from(header_len)
        .ok()
        .and_then(|h| frame.get(4usize.checked_add(h)?..))
        .ok_or_else(malformed)?;
    // Blob: raw = 1, zlib_data = 3 (what osmpbf reads; it refuses the rest).
    let (mut raw, mut zlib) = (None, None);
    for field in Proto(blob) {
        match field.ok_or_else(malformed)? {
            (1, Wire::Bytes(b)) => raw = Some(b),
            (3, Wire::Bytes(b)) => zlib = Some(b),
            _ => {}
        }
    }
    let inflated;
    let block = match (raw, zlib) {
        (Some(b), _) => b,
        (None, Some(z)) => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(z)
                .take(MAX_BLOCK_BYTES)
                .read_to_end(&mut out)
                .map_err(|_| malformed())?;
            inflated = out;
            &inflated[..]
        }
        (None, None) => return Ok(()), // osmpbf reports it
    };
    // PrimitiveBlock: primitivegroup = 2, granularity = 17, lat_offset = 19,
    // lon_offset = 20 (defaults 100, 0, 0; the last value wins).
    let (mut granularity, mut lat_offset, mut lon_offset) = (100i32, 0i64, 0i64);
    let mut groups = Vec::new();
    for field in Proto(block) {
        match field.ok_or_else(malformed)? {
            (2, Wire::Bytes(b)) => groups.push(b),
            (17, Wire::Varint(v)) => granularity = v as i32,
            (19, Wire::Varint(v)) => lat_offset = v as i64,
            (20, Wire::Varint(v)) => lon_offset = v as i64,
            _ => {}
        }
    }
    let nano = |what: &str, id: i64, offset: i64, value: i64| {
        i64::from(granularity)
            .checked_mul(value)
            .and_then(|v| v.checked_add(offset))
            .map(|_| ())
            .ok_or_else(|| {
                format!("node {id}: {what} = offset {offset} + granularity {granularity} × {value} overflows")
            })
    };
    for group in groups {
        // PrimitiveGroup: nodes = 1, dense = 2. DenseNodes: id = 1, lat = 8,
        // lon = 9, delta-coded sint64; a second `dense` field is merged
        // into the first (its lists continue them).
        let (mut ids, mut lats, mut lons) = (Vec::new(), Vec::new(), Vec::new());
        for field in Proto(group) {
            match field.ok_or_else(malformed)? {
                (1, Wire::Bytes(node)) => {
                    // Node: id = 1, lat = 8, lon = 9 (sint64).
                    let (mut id, mut lat, mut lon) = (0, 0, 0);
                    for f in Proto(node) {
                        match f.ok_or_else(malformed)? {
                            (1, Wire::Varint(v)) => id = zigzag(v),
                            (8, Wire::Varint(v)) => lat = zigzag(v),
                            (9, Wire::Varint(v)) => lon = zigzag(v),
                            _ => {}
                        }
                    }
                    nano("latitude", id, lat_offset, lat)?;
                    nano("longitude", id, lon_offset, lon)?;
                }
                (2, Wire::Bytes(dense)) => {
                    for f in Proto(dense) {
                        let (number, wire) = f.ok_or_else(malformed)?;
                        let list = match number {
                            1 => &mut ids,
                            8 => &mut lats,
                            9 => &mut lons,
                            _ => continue,
                        };
                        match wire {
                            Wire::Varint(v) => list.push(zigzag(v)),
                            Wire::Bytes(packed) => {
                                let mut p = Proto(packed);
                                while !p.0.is_empty() {
                                    list.push(zigzag(p.varint().ok_or_else(malformed)?));
                                }
                            }
                            Wire::Other => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
        for ((&di, &dl), &dn) in ids.iter().zip(&lats).zip(&lons) {
            let (Some(i), Some(a), Some(o)) = (id.checked_add(di), lat.checked_add(dl), lon.checked_add(dn)) else {
                return Err(format!(
                    "the dense node after node {id}: its delta-coded values overflow"
                ));
            };
            (id, lat, lon) = (i, a, o);
            nano("latitude", id, lat_offset, lat)?;
            nano("longitude", id, lon_offset, lon)?;
        }
    }
    Ok(())
}

/// Protobuf's zigzag encoding of signed integers, decoded.
fn zigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// One field's value: what the coordinate check reads.
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Other,
}

/// The fields of a protobuf message, in order; `None` for bytes that are
/// not a message (then the iteration ends).
struct Proto<'a>(&'a [u8]);

impl<'a> Proto<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for (k, &b) in self.0.iter().enumerate().take(10) {
            v |= u64::from(b & 0x7f) << (7 * k);
            if b & 0x80 == 0 {
                self.0 = &self.0[k + 1..];
                return Some(v);
            }
        }
        None
    }

    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }
}

impl<'a> Iterator for Proto<'a> {
    type Item = Option<(u64, Wire<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.0.is_empty() {
            return None;
        }
        let field = (|| {
            let key = self.varint()?;
            let wire = match key & 7 {
                0 => Wire::Varint(self.varint()?),
                1 => self.take(8).map(|_| Wire::Other)?,
                2 => {
                    let len = self.varint()?;
                    Wire::Bytes(self.take(len)?)
                }
                5 => self.take(4).map(|_| Wire::Other)?,
                _ => return None, // groups: not in OSM PBF
            };
            Some((key >> 3, wire))
        })();
        if field.is_none() {
            self.0 = &[];
        }
        Some(field)
    }
}

// ---------------------------------------------------------------------------
// Pass 1: ways and places

/// The tags of a way or node the import looks at (first occurrence wins).
#[derive(Default)]
struct Tags<'a> {
    highway: Option<&'a str>,
    area: Option<&'a str>,
    access: [Option<&'a str>; 4],
    maxspeed: Option<&'a str>,
    oneway: Option<&'a str>,
    junction: Option<&'a str>,
    tracktype: Option<&'a str>,
    place: Option<&'a str>,
    name: Option<&'a str>,
    population: Option<&'a str>,
}

impl<'a> Tags<'a> {
    fn read(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut t = Tags::default();
        for (k, v) in tags {
            let slot = match k {
                "highway" => &mut t.highway,
                "area" => &mut t.area,
                "motorcar" => &mut t.access[0],
                "motor_vehicle" => &mut t.access[1],
                "vehicle" => &mut t.access[2],
                "access" => &mut t.access[3],
                "maxspeed" => &mut t.maxspeed,
                "oneway" => &mut t.oneway,
                "junction" => &mut t.junction,
                "tracktype" => &mut t.tracktype,
                "place" => &mut t.place,
                "name" => &mut t.name,
                "population" => &mut t.population,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(v);
            }
        }
        t
    }

    fn blocked(&self) -> bool {
        debug_assert_eq!(ACCESS_KEYS.len(), self.access.len());
        self.access.iter().flatten().next().is_some_and(|v| BLOCKED.contains(v))
    }

    fn oneway(&self, highway: &str) -> i8 {
        match self.oneway.unwrap_or("") {
            "yes" | "true" | "1" => return 1,
            "-1" => return -1,
            "no" | "false" | "0" | "reversible" | "alternating" => return 0,
            _ => {}
        }
        let roundabout = matches!(self.junction, Some("roundabout" | "circular"));
        i8::from(highway == "motorway" || highway == "motorway_link" || roundabout)
    }
}

/// Numeric km/h of a `maxspeed` value: a plain decimal number or "N mph"
/// (optional spaces before `mph`), rounded ties-to-even; `None` otherwise.
pub fn parse_maxspeed_kmh(v: &str) -> Option<f64> {
    fn number(s: &str) -> Option<f64> {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if digits(int) && frac.is_none_or(digits) {
            s.parse().ok()
        } else {
            None
        }
    }
    let v = v.trim();
    let kmh = match v.strip_suffix("mph") {
        Some(n) => number(n.trim_end())? * 1.609344,
        None => number(v)?,
    };
    let kmh = kmh.round_ties_even();
    (kmh.is_finite() && kmh > 0.0).then_some(kmh)
}

/// The `tracktype` grade (`grade3` → 3); of a list (`grade3;grade4`), the worst.
fn track_grade(v: &str) -> Option<u8> {
    v.split(';')
        .filter_map(|g| g.trim().strip_prefix("grade")?.parse::<u8>().ok())
        .max()
}

struct RawWay {
    id: i64,
    refs: Vec<i64>,
    highway: String,
    maxspeed: String,
    oneway: i8,
    tracktype: String,
}

struct RawPlace {
    osm_type: OsmElementType,
    id: i64,
    name: String,
    place: String,
    /// Coordinates of a node, in 1e-7 degrees.
    at: Option<(i32, i32)>,
    /// Nodes of a way.
    refs: Vec<i64>,
    population: Option<u64>,
}

#[derive(Default)]
struct Pass1 {
    ways: Vec<RawWay>,
    places: Vec<RawPlace>,
    excluded_access: usize,
    excluded_options: usize,
    has_nodes: bool,
}

fn valid_location(lat_e7: i32, lon_e7: i32) -> bool {
    (-900_000_000..=900_000_000).contains(&lat_e7) && (-1_800_000_000..=1_800_000_000).contains(&lon_e7)
}

/// A node's location in 10⁻⁷ degrees from its nanodegrees, if valid. The
/// conversion is checked (osmpbf's `decimicro_*` cast with `as`, which
/// wraps far-out values back into range).
fn location_e7(nano_lat: i64, nano_lon: i64) -> Option<(i32, i32)> {
    let lat = i32::try_from(nano_lat / 100).ok()?;
    let lon = i32::try_from(nano_lon / 100).ok()?;
    valid_location(lat, lon).then_some((lat, lon))
}

fn parse_population(v: Option<&str>) -> Option<u64> {
    v.and_then(|p| p.trim().parse().ok())
}

fn pass1_block(block: &PrimitiveBlock, opts: &OsmOptions) -> Pass1 {
    let mut out = Pass1::default();
    let is_place = |p: Option<&str>| p.is_some_and(|p| opts.settlement_places.iter().any(|s| s == p));
    let node = |id: i64, tags: Tags<'_>, at: Option<(i32, i32)>, out: &mut Pass1| {
        out.has_nodes = true;
        if is_place(tags.place)
            && let Some(at) = at
        {
            out.places.push(RawPlace {
                osm_type: OsmElementType::Node,
                id,
                name: tags.name.unwrap_or("").to_string(),
                place: tags.place.unwrap_or("").to_string(),
                at: Some(at),
                refs: Vec::new(),
                population: parse_population(tags.population),
            });
        }
    };
    block.for_each_element(|el| match el {
        Element::Node(n) => node(
            n.id(),
            Tags::read(n.tags()),
            location_e7(n.nano_lat(), n.nano_lon()),
            &mut out,
        ),
        Element::DenseNode(n) => node(
            n.id(),
            Tags::read(n.tags()),
            location_e7(n.nano_lat(), n.nano_lon()),
            &mut out,
        ),
        Element::Way(w) => {
            let t = Tags::read(w.tags());
            if is_place(t.place) {
                out.places.push(RawPlace {
                    osm_type: OsmElementType::Way,
                    id: w.id(),
                    name: t.name.unwrap_or("").to_string(),
                    place: t.place.unwrap_or("").to_string(),
                    at: None,
                    refs: w.refs().collect(),
                    population: parse_population(t.population),
                });
            }
            let Some(hw) = t.highway.filter(|h| DRIVABLE.contains(h)) else {
                return;
            };
            if t.area == Some("yes") {
                return;
            }
            if t.blocked() {
                out.excluded_access += 1;
                return;
            }
            if hw == "track"
                && (!opts.include_tracks
                    || t.tracktype
                        .and_then(track_grade)
                        .is_some_and(|g| opts.avoid_tracktypes.contains(&g)))
            {
                out.excluded_options += 1;
                return;
            }
            let mut refs: Vec<i64> = w.refs().collect();
            refs.dedup();
            if refs.len() >= 2 {
                out.ways.push(RawWay {
                    id: w.id(),
                    refs,
                    highway: hw.to_string(),
                    maxspeed: t.maxspeed.unwrap_or("").to_string(),
                    oneway: t.oneway(hw),
                    tracktype: t.tracktype.unwrap_or("").to_string(),
                });
            }
        }
        Element::Relation(_) => {}
    });
    out
}

// ---------------------------------------------------------------------------
// Geometry helpers

fn to_deg(e7: i32) -> f64 {
    f64::from(e7) / 1e7
}

/// Great-circle distance in metres (same formula and radius as the reference).
fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.min(1.0).sqrt().asin()
}

/// Rounds to 0.1 exactly as `round(x, 1)` followed by `f"{x:.1f}"`.
fn round_decimetre(x: f64) -> f64 {
    format!("{x:.1}").parse().unwrap_or(x)
}

/// Unit-sphere point: chord distance grows with great-circle distance.
fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (p, l) = (lat.to_radians(), lon.to_radians());
    [p.cos() * l.cos(), p.cos() * l.sin(), p.sin()]
}

// ---------------------------------------------------------------------------
// The import

fn import<R: Read + Seek + Send>(mut reader: R, name: &str, path: &Path, opts: &OsmOptions) -> Result<OsmImport> {
    let started = Instant::now();
    let src = Source { name, path };

    // Pass 1: drivable ways and places.
    let blocks = for_each_block(&mut reader, &src, |_| false, |_, b| pass1_block(b, opts))?;
    let has_nodes: Vec<bool> = blocks.iter().map(|b| b.has_nodes).collect();
    let mut stats = ImportStats::default();
    let (mut ways, mut places) = (Vec::new(), Vec::new());
    for b in blocks {
        stats.ways_excluded_by_access += b.excluded_access;
        stats.ways_excluded_by_options += b.excluded_options;
        ways.extend(b.ways);
        places.extend(b.places);
    }
    if ways.is_empty() {
        return Err(no_roads(name, &stats));
    }

    // Pass 2: coordinates of the nodes the ways and place areas use.
    let need: HashSet<i64> = ways
        .iter()
        .flat_map(|w| w.refs.iter())
        .chain(places.iter().flat_map(|p| p.refs.iter()))
        .copied()
        .collect();
    let skip = |i: usize| !has_nodes.get(i).copied().unwrap_or(true);
    let found = for_each_block(&mut reader, &src, skip, |_, block| {
        let mut v: Vec<(i64, i32, i32)> = Vec::new();
        let mut take = |id: i64, at: Option<(i32, i32)>| {
            if let Some((lat, lon)) = at.filter(|_| need.contains(&id)) {
                v.push((id, lat, lon));
            }
        };
        block.for_each_element(|el| match el {
            Element::Node(n) => take(n.id(), location_e7(n.nano_lat(), n.nano_lon())),
            Element::DenseNode(n) => take(n.id(), location_e7(n.nano_lat(), n.nano_lon())),
            _ => {}
        });
        v
    })?;
    let mut loc: HashMap<i64, (f64, f64)> = HashMap::with_capacity(need.len());
    for (id, lat, lon) in found.into_iter().flatten() {
        loc.insert(id, (to_deg(lat), to_deg(lon)));
    }
    drop(need);

    let before = ways.len();
    ways.retain(|w| w.refs.iter().all(|r| loc.contains_key(r)));
    stats.ways_missing_nodes = before - ways.len();
    stats.ways_used = ways.len();
    if ways.is_empty() {
        return Err(no_roads(name, &stats));
    }

    // Graph nodes: way ends and nodes used twice or more.
    let mut uses: HashMap<i64, u32> = HashMap::new();
    for w in &ways {
        for &r in &w.refs {
            *uses.entry(r).or_default() += 1;
        }
    }
    let mut is_node: HashSet<i64> = uses.into_iter().filter(|&(_, c)| c >= 2).map(|(r, _)| r).collect();
    for w in &ways {
        is_node.insert(w.refs[0]);
        is_node.insert(w.refs[w.refs.len() - 1]);
    }

    // Segments, in way id order (a split loop adds a graph node that later
    // ways see, as in the reference).
    ways.sort_by_key(|w| w.id);
    let mut segments: Vec<OsmSegment> = Vec::new();
    for w in &ways {
        let mut pieces: Vec<&[i64]> = Vec::new();
        let mut start = 0;
        for (i, r) in w.refs.iter().enumerate().skip(1) {
            if is_node.contains(r) {
                pieces.push(&w.refs[start..=i]);
                start = i;
            }
        }
        for p in pieces {
            let parts: Vec<&[i64]> = if p[0] == p[p.len() - 1] {
                if p.len() < 3 {
                    continue;
                }
                let mid = p.len() / 2;
                is_node.insert(p[mid]);
                vec![&p[..=mid], &p[mid..]]
            } else {
                vec![p]
            };
            for q in parts {
                let pts: Vec<(f64, f64)> = q.iter().map(|r| loc[r]).collect();
                let length: f64 = pts
                    .windows(2)
                    .map(|ab| haversine(ab[0].0, ab[0].1, ab[1].0, ab[1].1))
                    .sum();
                let mut geometry: Vec<[f64; 2]> = pts.iter().map(|&(lat, lon)| [lon, lat]).collect();
                let (mut from, mut to) = (q[0], q[q.len() - 1]);
                if w.oneway == -1 {
                    std::mem::swap(&mut from, &mut to);
                    geometry.reverse();
                }
                segments.push(OsmSegment {
                    from,
                    to,
                    length_m: round_decimetre(length),
                    highway: w.highway.clone(),
                    maxspeed: w.maxspeed.clone(),
                    maxspeed_kmh: parse_maxspeed_kmh(&w.maxspeed),
                    oneway: w.oneway != 0,
                    tracktype: w.tracktype.clone(),
                    way_id: w.id,
                    geometry,
                });
            }
        }
    }
    drop(is_node);
    if segments.is_empty() {
        return Err(no_roads(name, &stats));
    }

    // The network, junctions in ascending id.
    let mut ids: Vec<i64> = segments.iter().flat_map(|s| [s.from, s.to]).collect();
    ids.sort_unstable();
    ids.dedup();
    let network = build_network(&ids, &segments, &loc)?;
    let mut in_main_scc = network.largest_strong_component();
    stats.largest_scc_junctions = in_main_scc.iter().filter(|&&m| m).count();
    let main_ids: Vec<i64> = ids
        .iter()
        .zip(&in_main_scc)
        .filter(|(_, m)| **m)
        .map(|(id, _)| *id)
        .collect();

    let network = if opts.keep_largest_scc && main_ids.len() < ids.len() {
        let keep: HashSet<i64> = main_ids.iter().copied().collect();
        let before = segments.len();
        segments.retain(|s| keep.contains(&s.from) && keep.contains(&s.to));
        stats.removed_outside_scc = ids.len() - main_ids.len();
        stats.segments_removed_outside_scc = before - segments.len();
        in_main_scc = vec![true; main_ids.len()];
        build_network(&main_ids, &segments, &loc)?
    } else {
        network
    };

    let settlements = settlements(places, &loc, &main_ids);

    stats.junctions = network.num_junctions();
    stats.segments = segments.len();
    stats.arcs = network.num_segments();
    stats.oneway_segments = segments.iter().filter(|s| s.oneway).count();
    for s in &segments {
        stats.total_length_m += s.length_m;
        *stats.length_by_class.entry(s.highway.clone()).or_default() += s.length_m;
    }
    stats.elapsed = started.elapsed();
    Ok(OsmImport {
        network,
        segments,
        in_main_scc,
        settlements,
        stats,
    })
}

fn no_roads(name: &str, stats: &ImportStats) -> Error {
    Error::parse(
        name,
        None,
        format!(
            "no drivable roads in the OSM file ({} ways closed to motor vehicles, {} left out by the track options, \
             {} with missing nodes)",
            stats.ways_excluded_by_access, stats.ways_excluded_by_options, stats.ways_missing_nodes
        ),
    )
}

fn build_network(ids: &[i64], segments: &[OsmSegment], loc: &HashMap<i64, (f64, f64)>) -> Result<RoadNetwork> {
    let mut net = RoadNetwork::new();
    for id in ids {
        let (lat, lon) = loc[id];
        net.add_junction(*id, lon, lat)?;
    }
    for s in segments {
        net.add_segment(s.from, s.to, s.length_m, s.class(), s.maxspeed_kmh, s.oneway)?;
    }
    Ok(net)
}

/// Places with coordinates, snapped to the nearest junction of `main_ids`
/// (ties to the lowest id), sorted by element type and id.
fn settlements(mut places: Vec<RawPlace>, loc: &HashMap<i64, (f64, f64)>, main_ids: &[i64]) -> Vec<Settlement> {
    places.sort_by_key(|p| (p.osm_type, p.id));
    let tree = RTree::bulk_load(
        main_ids
            .iter()
            .map(|id| {
                let (lat, lon) = loc[id];
                GeomWithData::new(unit_vector(lat, lon), *id)
            })
            .collect(),
    );
    let mut out = Vec::with_capacity(places.len());
    for p in places {
        let (lat, lon) = match p.at {
            Some((lat, lon)) => (to_deg(lat), to_deg(lon)),
            None => {
                let pts: Vec<(f64, f64)> = p.refs.iter().filter_map(|r| loc.get(r).copied()).collect();
                if pts.is_empty() {
                    continue;
                }
                let n = pts.len() as f64;
                (
                    pts.iter().map(|q| q.0).sum::<f64>() / n,
                    pts.iter().map(|q| q.1).sum::<f64>() / n,
                )
            }
        };
        // Nearest by chord, then exact haversine among near-ties.
        let query = unit_vector(lat, lon);
        let mut best: Option<(f64, i64)> = None;
        let mut chord_min = None;
        for (g, d2) in tree.nearest_neighbor_iter_with_distance_2(&query) {
            let m = *chord_min.get_or_insert(d2);
            if d2 > m * (1.0 + 1e-9) + 1e-24 {
                break;
            }
            let (jlat, jlon) = loc[&g.data];
            let d = haversine(lat, lon, jlat, jlon);
            if best.is_none_or(|(bd, bid)| d < bd || (d == bd && g.data < bid)) {
                best = Some((d, g.data));
            }
        }
        let Some((snap_m, node)) = best else { continue };
        out.push(Settlement {
            osm_type: p.osm_type,
            osm_id: p.id,
            name: p.name,
            place: p.place,
            lon,
            lat,
            population: p.population,
            node,
            snap_m,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxspeed_rules() {
        assert_eq!(parse_maxspeed_kmh("70"), Some(70.0));
        assert_eq!(parse_maxspeed_kmh(" 50.5 "), Some(50.0)); // ties to even
        assert_eq!(parse_maxspeed_kmh("51.5"), Some(52.0));
        assert_eq!(parse_maxspeed_kmh("30 mph"), Some(48.0));
        assert_eq!(parse_maxspeed_kmh("30mph"), Some(48.0));
        for v in [
            "", "none", "DE:rural", "50;30", "signals", "0", "-5", "5.", ".5", "fast mph",
        ] {
            assert_eq!(parse_maxspeed_kmh(v), None, "{v}");
        }
    }

    #[test]
    fn tag_rules() {
        let t = |pairs: &[(&'static str, &'static str)]| Tags::read(pairs.iter().copied());
        assert_eq!(t(&[]).oneway("motorway_link"), 1);
        assert_eq!(t(&[("oneway", "no")]).oneway("motorway"), 0);
        assert_eq!(t(&[("oneway", "-1")]).oneway("primary"), -1);
        assert_eq!(t(&[("junction", "roundabout")]).oneway("tertiary"), 1);
        assert_eq!(t(&[("oneway", "reverse")]).oneway("tertiary"), 0);
        assert!(t(&[("access", "private")]).blocked());
        assert!(!t(&[("access", "no"), ("motor_vehicle", "destination")]).blocked());
        assert!(t(&[("motorcar", "agricultural;forestry"), ("access", "yes")]).blocked());
        assert!(!t(&[("access", "delivery")]).blocked());
        assert_eq!(track_grade("grade4"), Some(4));
        assert_eq!(track_grade("grade2;grade5"), Some(5));
        assert_eq!(track_grade("gravel"), None);
    }

    #[test]
    fn haversine_matches_reference_scale() {
        // One degree of latitude on the 6371008.8 m sphere.
        let d = haversine(50.0, 11.5, 51.0, 11.5);
        assert!((d - 111_195.08).abs() < 0.01, "{d}");
        assert_eq!(round_decimetre(25.649_999), 25.6);
        assert_eq!(round_decimetre(25.650_001), 25.7);
    }
}
