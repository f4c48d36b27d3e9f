//! The road network: junctions and directed road segments in a petgraph
//! [`DiGraph`], built by hand or by the readers of the `io` module
//! (`nodes.csv` / `edges.csv` in `io::road_csv`, OSM extracts).
//!
//! Units follow the crate's rule: lengths are whole metres and travel times
//! whole milliseconds, both converted once from the input floats with
//! [`round_to_int`]. The travel time of a segment is
//!
//! ```text
//! time_ms = round_to_int(length_m * 3600 / speed_kmh)
//! speed_kmh = maxspeed_kmh if given, else RoadClass::default_speed_kmh()
//! ```
//!
//! where `length_m` is the unrounded input length.
//!
//! ```
//! use backroads::model::{RoadClass, RoadNetwork};
//! let mut net = RoadNetwork::new();
//! net.add_junction(1, 11.50, 50.00)?;
//! net.add_junction(2, 11.51, 50.00)?;
//! net.add_segment(1, 2, 720.0, RoadClass::Tertiary, None, false)?;
//! assert_eq!(net.num_junctions(), 2);
//! assert_eq!(net.num_segments(), 2); // two-way: one arc each direction
//! # Ok::<(), backroads::Error>(())
//! ```

use super::round_to_int;
use crate::error::{Error, Result};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A road junction (graph node).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Junction {
    /// Source id (OSM node id).
    pub id: i64,
    /// Longitude, degrees east (WGS84).
    pub lon: f64,
    /// Latitude, degrees north (WGS84).
    pub lat: f64,
}

/// Road class of a segment, from the OSM `highway` tag.
///
/// `*_link` ramps belong to their parent class. Each class has a default
/// speed for a rural delivery van ([`RoadClass::default_speed_kmh`]), used
/// when a segment has no numeric speed limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoadClass {
    /// `motorway`, `motorway_link` (default 110 km/h).
    Motorway,
    /// `trunk`, `trunk_link` (default 90 km/h).
    Trunk,
    /// `primary`, `primary_link` (default 80 km/h).
    Primary,
    /// `secondary`, `secondary_link` (default 70 km/h).
    Secondary,
    /// `tertiary`, `tertiary_link` (default 60 km/h).
    Tertiary,
    /// `unclassified`: minor public roads between villages (default 50 km/h).
    Unclassified,
    /// `residential`: streets inside villages (default 30 km/h).
    Residential,
    /// `living_street`: shared pedestrian priority streets (default 10 km/h).
    LivingStreet,
    /// `service`: yards, access roads, car parks (default 20 km/h).
    Service,
    /// `track`: agricultural and forest tracks (default 15 km/h).
    Track,
    /// Anything else, including `road` and a missing tag (default 30 km/h).
    Other,
}

impl RoadClass {
    /// Class of an OSM `highway` value; `*_link` maps to the parent class,
    /// unknown or empty values to [`RoadClass::Other`].
    pub fn from_highway(tag: &str) -> RoadClass {
        let tag = tag.trim();
        let base = tag.strip_suffix("_link").unwrap_or(tag);
        match base {
            "motorway" => RoadClass::Motorway,
            "trunk" => RoadClass::Trunk,
            "primary" => RoadClass::Primary,
            "secondary" => RoadClass::Secondary,
            "tertiary" => RoadClass::Tertiary,
            "unclassified" => RoadClass::Unclassified,
            "residential" => RoadClass::Residential,
            "living_street" => RoadClass::LivingStreet,
            "service" => RoadClass::Service,
            "track" => RoadClass::Track,
            _ => RoadClass::Other,
        }
    }

    /// Default cruising speed of a rural delivery van on this class, km/h:
    /// motorway 110, trunk 90, primary 80, secondary 70, tertiary 60,
    /// unclassified 50, residential 30, living street 10, service 20,
    /// track 15, other 30.
    pub fn default_speed_kmh(self) -> f64 {
        match self {
            RoadClass::Motorway => 110.0,
            RoadClass::Trunk => 90.0,
            RoadClass::Primary => 80.0,
            RoadClass::Secondary => 70.0,
            RoadClass::Tertiary => 60.0,
            RoadClass::Unclassified => 50.0,
            RoadClass::Residential => 30.0,
            RoadClass::LivingStreet => 10.0,
            RoadClass::Service => 20.0,
            RoadClass::Track => 15.0,
            RoadClass::Other => 30.0,
        }
    }

    /// The OSM `highway` value of the class (`"road"` for [`RoadClass::Other`]).
    pub fn as_str(self) -> &'static str {
        match self {
            RoadClass::Motorway => "motorway",
            RoadClass::Trunk => "trunk",
            RoadClass::Primary => "primary",
            RoadClass::Secondary => "secondary",
            RoadClass::Tertiary => "tertiary",
            RoadClass::Unclassified => "unclassified",
            RoadClass::Residential => "residential",
            RoadClass::LivingStreet => "living_street",
            RoadClass::Service => "service",
            RoadClass::Track => "track",
            RoadClass::Other => "road",
        }
    }
}

/// A directed road segment (graph arc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadSegment {
    /// Length, whole metres.
    pub length_m: u32,
    /// Travel time, whole milliseconds (see the module docs for the rule).
    pub time_ms: u32,
    /// Road class.
    pub class: RoadClass,
}

/// Largest number of junctions or arcs a network may hold (petgraph `u32`
/// indices reserve `u32::MAX` as the end marker).
pub const MAX_GRAPH_ELEMENTS: usize = (u32::MAX - 1) as usize;

/// The road graph: junctions (nodes, indexed `0..num_junctions()`) and
/// directed segments (arcs). A two-way road is two arcs.
#[derive(Debug, Clone, Default)]
pub struct RoadNetwork {
    graph: DiGraph<Junction, RoadSegment, u32>,
    index: HashMap<i64, u32>,
}

/// Segment weights from an input length and speed, or why they are rejected.
fn segment_weights(
    length_m: f64,
    class: RoadClass,
    maxspeed_kmh: Option<f64>,
) -> std::result::Result<(u32, u32), String> {
    if !length_m.is_finite() || length_m < 0.0 {
        return Err(format!(
            "column 'length_m': length must be a finite number >= 0, got {length_m}"
        ));
    }
    let speed = match maxspeed_kmh {
        Some(s) if !(s.is_finite() && s > 0.0) => {
            return Err(format!(
                "column 'maxspeed_kmh': speed must be a finite number > 0, got {s}"
            ));
        }
        Some(s) => s,
        None => class.default_speed_kmh(),
    };
    let len = round_to_int(length_m);
    let time = round_to_int(length_m * 3600.0 / speed);
    match (u32::try_from(len), u32::try_from(time)) {
        (Ok(l), Ok(t)) if l < u32::MAX && t < u32::MAX => Ok((l, t)),
        _ => Err(format!(
            "column 'length_m': segment of {length_m} m at {speed} km/h is too long for the u32 metre/millisecond weights"
        )),
    }
}

fn check_coords(lon: f64, lat: f64) -> std::result::Result<(), String> {
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err(format!("column 'lat': latitude must be within -90..90, got {lat}"));
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(format!("column 'lon': longitude must be within -180..180, got {lon}"));
    }
    Ok(())
}

impl RoadNetwork {
    /// An empty network (add junctions and segments by hand).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a junction and returns its node index. Rejects a duplicate id
    /// ([`Error::DuplicateId`], kind `"road node"`) and coordinates outside
    /// the WGS84 range ([`Error::InvalidValue`]).
    pub fn add_junction(&mut self, id: i64, lon: f64, lat: f64) -> Result<u32> {
        if let Err(reason) = check_coords(lon, lat) {
            let (field, value) = if reason.contains("'lat'") {
                ("lat", lat)
            } else {
                ("lon", lon)
            };
            return Err(Error::InvalidValue {
                owner: format!("road node '{id}'"),
                field,
                value: value.to_string(),
                reason: "must be WGS84 degrees (lat within -90..90, lon within -180..180)",
            });
        }
        self.insert_junction(id, lon, lat)
    }

    fn insert_junction(&mut self, id: i64, lon: f64, lat: f64) -> Result<u32> {
        if self.graph.node_count() >= MAX_GRAPH_ELEMENTS {
            return Err(Error::TooLarge {
                what: "road junctions",
                value: self.graph.node_count() as u64 + 1,
                limit: MAX_GRAPH_ELEMENTS as u64,
            });
        }
        match self.index.entry(id) {
            Entry::Occupied(_) => Err(Error::DuplicateId {
                kind: "road node",
                id: id.to_string(),
            }),
            Entry::Vacant(slot) => {
                let ix = self.graph.add_node(Junction { id, lon, lat }).index() as u32;
                slot.insert(ix);
                Ok(ix)
            }
        }
    }

    /// Adds a road between two junctions given by id: one arc `from → to`
    /// when `oneway`, else two arcs. `length_m` (finite, >= 0) is rounded to
    /// whole metres; the time uses `maxspeed_kmh` (finite, > 0) when given,
    /// else the class default (see the module docs).
    pub fn add_segment(
        &mut self,
        from_id: i64,
        to_id: i64,
        length_m: f64,
        class: RoadClass,
        maxspeed_kmh: Option<f64>,
        oneway: bool,
    ) -> Result<()> {
        let lookup = |id: i64| {
            self.index.get(&id).copied().ok_or_else(|| Error::UnknownId {
                kind: "road node",
                id: id.to_string(),
                referenced_by: format!("road segment {from_id} -> {to_id}"),
            })
        };
        let (from, to) = (lookup(from_id)?, lookup(to_id)?);
        let (length, time) = segment_weights(length_m, class, maxspeed_kmh).map_err(|reason| {
            let field = if reason.contains("maxspeed") {
                "maxspeed_kmh"
            } else {
                "length_m"
            };
            Error::InvalidValue {
                owner: format!("road segment {from_id} -> {to_id}"),
                field,
                value: if field == "length_m" {
                    length_m.to_string()
                } else {
                    format!("{maxspeed_kmh:?}")
                },
                reason: "must be finite, length >= 0 and speed > 0, within u32 metres/milliseconds",
            }
        })?;
        self.insert_arcs(from, to, length, time, class, if oneway { 1 } else { 0 })
    }

    fn insert_arcs(
        &mut self,
        from: u32,
        to: u32,
        length_m: u32,
        time_ms: u32,
        class: RoadClass,
        oneway: i8,
    ) -> Result<()> {
        let needed = if oneway == 0 { 2 } else { 1 };
        if self.graph.edge_count() + needed > MAX_GRAPH_ELEMENTS {
            return Err(Error::TooLarge {
                what: "road segments",
                value: (self.graph.edge_count() + needed) as u64,
                limit: MAX_GRAPH_ELEMENTS as u64,
            });
        }
        let seg = RoadSegment {
            length_m,
            time_ms,
            class,
        };
        let (a, b) = (NodeIndex::new(from as usize), NodeIndex::new(to as usize));
        if oneway >= 0 {
            self.graph.add_edge(a, b, seg);
        }
        if oneway <= 0 {
            self.graph.add_edge(b, a, seg);
        }
        Ok(())
    }

    /// The underlying petgraph graph (node index = junction index).
    pub fn graph(&self) -> &DiGraph<Junction, RoadSegment, u32> {
        &self.graph
    }

    /// Number of junctions (graph nodes).
    pub fn num_junctions(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of directed segments (arcs); a two-way road counts twice.
    pub fn num_segments(&self) -> usize {
        self.graph.edge_count()
    }

    /// Junction at a node index, if any.
    pub fn junction(&self, index: u32) -> Option<&Junction> {
        self.graph.node_weight(NodeIndex::new(index as usize))
    }

    /// Node index of the junction with this source id, if any.
    pub fn junction_index(&self, id: i64) -> Option<u32> {
        self.index.get(&id).copied()
    }

    /// All junctions, by node index.
    pub fn junctions(&self) -> impl ExactSizeIterator<Item = &Junction> + '_ {
        self.graph.raw_nodes().iter().map(|n| &n.weight)
    }

    /// Number of weakly connected components (arc directions ignored).
    pub fn num_weak_components(&self) -> usize {
        petgraph::algo::connected_components(&self.graph)
    }

    /// Number of strongly connected components (every junction of one can
    /// reach every other of the same one).
    pub fn num_strong_components(&self) -> usize {
        petgraph::algo::kosaraju_scc(&self.graph).len()
    }

    /// Membership (by junction index) of the largest strongly connected
    /// component: the part of the network where every junction can reach
    /// every other. Ties go to the component holding the lowest index.
    pub fn largest_strong_component(&self) -> Vec<bool> {
        let mut member = vec![false; self.graph.node_count()];
        // Kosaraju: petgraph runs it with explicit stacks, so a province-sized
        // network cannot overflow the thread's stack (its Tarjan recurses).
        let best = petgraph::algo::kosaraju_scc(&self.graph)
            .into_iter()
            .max_by_key(|c| (c.len(), std::cmp::Reverse(c.iter().map(|n| n.index()).min())));
        for n in best.into_iter().flatten() {
            member[n.index()] = true;
        }
        member
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_links() {
        assert_eq!(RoadClass::from_highway("motorway_link"), RoadClass::Motorway);
        assert_eq!(RoadClass::from_highway("primary_link"), RoadClass::Primary);
        assert_eq!(RoadClass::from_highway("living_street"), RoadClass::LivingStreet);
        assert_eq!(RoadClass::from_highway("road"), RoadClass::Other);
        assert_eq!(RoadClass::from_highway(""), RoadClass::Other);
        assert_eq!(RoadClass::Track.default_speed_kmh(), 15.0);
        assert_eq!(RoadClass::from_highway(RoadClass::Service.as_str()), RoadClass::Service);
    }

    #[test]
    fn programmatic_network_and_time_rule() -> Result<()> {
        let mut net = RoadNetwork::new();
        assert_eq!(net.add_junction(10, 11.0, 50.0)?, 0);
        assert_eq!(net.add_junction(20, 11.01, 50.0)?, 1);
        net.add_segment(10, 20, 1000.4, RoadClass::Residential, None, true)?;
        net.add_segment(20, 10, 999.6, RoadClass::Primary, Some(36.0), true)?;
        assert_eq!(net.num_junctions(), 2);
        assert_eq!(net.num_segments(), 2);
        let segs: Vec<RoadSegment> = net.graph().edge_weights().copied().collect();
        // 1000.4 m at the residential default 30 km/h = 120.048 s.
        assert_eq!(segs[0].length_m, 1000);
        assert_eq!(segs[0].time_ms, 120_048);
        // 999.6 m at maxspeed 36 km/h (10 m/s) = 99.96 s.
        assert_eq!(segs[1].length_m, 1000);
        assert_eq!(segs[1].time_ms, 99_960);
        assert_eq!(net.junction_index(20), Some(1));
        assert_eq!(net.junction(1).map(|j| j.id), Some(20));
        Ok(())
    }

    #[test]
    fn programmatic_errors() -> Result<()> {
        let mut net = RoadNetwork::new();
        net.add_junction(1, 11.0, 50.0)?;
        assert!(matches!(
            net.add_junction(1, 11.0, 50.0),
            Err(Error::DuplicateId { kind: "road node", .. })
        ));
        assert!(matches!(
            net.add_junction(2, 11.0, 91.0),
            Err(Error::InvalidValue { field: "lat", .. })
        ));
        assert!(matches!(
            net.add_junction(2, f64::NAN, 50.0),
            Err(Error::InvalidValue { field: "lon", .. })
        ));
        net.add_junction(2, 11.0, 50.1)?;
        assert!(matches!(
            net.add_segment(1, 3, 5.0, RoadClass::Other, None, false),
            Err(Error::UnknownId { kind: "road node", .. })
        ));
        assert!(matches!(
            net.add_segment(1, 2, -5.0, RoadClass::Other, None, false),
            Err(Error::InvalidValue { field: "length_m", .. })
        ));
        assert!(matches!(
            net.add_segment(1, 2, 5.0, RoadClass::Other, Some(0.0), false),
            Err(Error::InvalidValue {
                field: "maxspeed_kmh",
                ..
            })
        ));
        assert_eq!(net.num_segments(), 0);
        Ok(())
    }
}
