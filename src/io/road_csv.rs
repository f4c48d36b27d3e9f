//! Road networks in the `nodes.csv` / `edges.csv` layout of
//! `shared/data/osm` (what `backroads osm --out-dir` writes).
//!
//! Columns are found by header name, in any order; unknown columns are
//! ignored.
//!
//! * nodes: `id,lat,lon` required (`in_main_scc` and others ignored).
//! * edges: `from,to,length_m` required; `highway` (class, see
//!   [`RoadClass::from_highway`]), `maxspeed_kmh` (empty = class default)
//!   and `oneway` (`1`/`yes`: from→to only; `-1`: to→from only;
//!   `0`/empty/`no`: both directions) optional.
//!
//! Every malformed row is an [`Error::Parse`] with its 1-based line (header
//! = line 1) and the column, never the cell's text; an edge naming an
//! unknown node id is a parse error naming the id; a repeated node id is
//! [`Error::DuplicateId`] (kind `"road node"`); a node file without rows is
//! a parse error. Lines longer than [`MAX_CSV_LINE_BYTES`](super::files::MAX_CSV_LINE_BYTES)
//! are refused.

use super::files::{LineBound, ReadOptions, open_input};
use crate::error::{Error, Result};
use crate::model::{RoadClass, RoadNetwork};
use std::io::Read;
use std::path::Path;

/// Column positions of a CSV header, looked up by name.
struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn new(headers: &csv::StringRecord) -> Self {
        Columns {
            names: headers
                .iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                .collect(),
        }
    }
    fn optional(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h == name)
    }
    fn required(&self, name: &str, source_name: &str) -> Result<usize> {
        self.optional(name)
            .ok_or_else(|| Error::parse(source_name, Some(1), format!("missing required column '{name}'")))
    }
}

fn csv_error(source_name: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        _ => e.to_string(),
    };
    Error::parse(source_name, line, message)
}

fn field(rec: &csv::StringRecord, col: usize) -> &str {
    rec.get(col).unwrap_or("").trim()
}

fn parse_i64(rec: &csv::StringRecord, col: usize, name: &str, src: &str, line: usize) -> Result<i64> {
    field(rec, col)
        .parse::<i64>()
        .map_err(|_| Error::parse(src, Some(line), format!("column '{name}': not an integer id")))
}

fn parse_f64(rec: &csv::StringRecord, col: usize, name: &str, src: &str, line: usize) -> Result<f64> {
    match field(rec, col).parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(Error::parse(
            src,
            Some(line),
            format!("column '{name}': not a finite number"),
        )),
    }
}

fn parse_oneway(v: &str) -> Option<i8> {
    match v {
        "" | "0" | "no" | "false" => Some(0),
        "1" | "yes" | "true" => Some(1),
        "-1" | "reverse" => Some(-1),
        _ => None,
    }
}

/// A model error on a row as a parse error at its line, with the column
/// but not the value.
fn at_line(src: &str, line: usize, e: Error) -> Error {
    match e {
        Error::InvalidValue { field, reason, .. } => {
            Error::parse(src, Some(line), format!("column '{field}': {reason}"))
        }
        e @ Error::DuplicateId { .. } => e,
        other => Error::parse(src, Some(line), other.to_string()),
    }
}

fn reader<R: Read>(r: R) -> csv::Reader<LineBound<R>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(LineBound::new(r))
}

/// Reads a road network from its two CSV streams (see the module docs);
/// `nodes_name` and `edges_name` name them in errors.
pub fn read_road_csv(nodes: impl Read, nodes_name: &str, edges: impl Read, edges_name: &str) -> Result<RoadNetwork> {
    let mut net = RoadNetwork::new();
    read_nodes(&mut net, nodes, nodes_name)?;
    if net.num_junctions() == 0 {
        return Err(Error::parse(
            nodes_name,
            None,
            "no road nodes (the file has no data rows)",
        ));
    }
    read_edges(&mut net, edges, edges_name)?;
    Ok(net)
}

/// Reads `nodes.csv` and `edges.csv` files (see [`read_road_csv`]), each of
/// at most `opts.max_input_bytes`.
pub fn read_road_csv_files(nodes: &Path, edges: &Path, opts: &ReadOptions) -> Result<RoadNetwork> {
    let nf = open_input(nodes, opts.max_input_bytes)?;
    let ef = open_input(edges, opts.max_input_bytes)?;
    read_road_csv(
        std::io::BufReader::new(nf),
        &nodes.display().to_string(),
        std::io::BufReader::new(ef),
        &edges.display().to_string(),
    )
}

fn read_nodes(net: &mut RoadNetwork, r: impl Read, src: &str) -> Result<()> {
    let mut rdr = reader(r);
    let cols = Columns::new(rdr.headers().map_err(|e| csv_error(src, e))?);
    let (c_id, c_lat, c_lon) = (
        cols.required("id", src)?,
        cols.required("lat", src)?,
        cols.required("lon", src)?,
    );
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(|e| csv_error(src, e))? {
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let id = parse_i64(&rec, c_id, "id", src, line)?;
        let lat = parse_f64(&rec, c_lat, "lat", src, line)?;
        let lon = parse_f64(&rec, c_lon, "lon", src, line)?;
        net.add_junction(id, lon, lat).map_err(|e| at_line(src, line, e))?;
    }
    Ok(())
}

fn read_edges(net: &mut RoadNetwork, r: impl Read, src: &str) -> Result<()> {
    let mut rdr = reader(r);
    let cols = Columns::new(rdr.headers().map_err(|e| csv_error(src, e))?);
    let (c_from, c_to, c_len) = (
        cols.required("from", src)?,
        cols.required("to", src)?,
        cols.required("length_m", src)?,
    );
    let (c_hw, c_speed, c_oneway) = (
        cols.optional("highway"),
        cols.optional("maxspeed_kmh"),
        cols.optional("oneway"),
    );
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(|e| csv_error(src, e))? {
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let node = |col: usize, name: &str| -> Result<i64> {
            let id = parse_i64(&rec, col, name, src, line)?;
            match net.junction_index(id) {
                Some(_) => Ok(id),
                None => Err(Error::parse(
                    src,
                    Some(line),
                    format!("column '{name}': unknown road node id {id}"),
                )),
            }
        };
        let from = node(c_from, "from")?;
        let to = node(c_to, "to")?;
        let length_m = field(&rec, c_len)
            .parse::<f64>()
            .map_err(|_| Error::parse(src, Some(line), "column 'length_m': not a number"))?;
        let class = c_hw.map_or(RoadClass::Other, |c| RoadClass::from_highway(field(&rec, c)));
        let maxspeed = match c_speed.map(|c| field(&rec, c)) {
            None | Some("") => None,
            Some(v) => Some(
                v.parse::<f64>()
                    .map_err(|_| Error::parse(src, Some(line), "column 'maxspeed_kmh': not a number"))?,
            ),
        };
        let oneway = match c_oneway.map(|c| field(&rec, c)) {
            None => 0,
            Some(v) => parse_oneway(v)
                .ok_or_else(|| Error::parse(src, Some(line), "column 'oneway': expected 1, 0, -1 or empty"))?,
        };
        // A reverse one-way road is a one-way road the other way round.
        let (a, b) = if oneway < 0 { (to, from) } else { (from, to) };
        net.add_segment(a, b, length_m, class, maxspeed, oneway != 0)
            .map_err(|e| at_line(src, line, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RoadSegment;
    use petgraph::graph::NodeIndex;

    const NODES: &str = "id,lat,lon,in_main_scc\n1,50.0,11.5,1\n2,50.0,11.51,1\n3,50.01,11.51,0\n";

    fn load(nodes: &str, edges: &str) -> Result<RoadNetwork> {
        read_road_csv(nodes.as_bytes(), "nodes.csv", edges.as_bytes(), "edges.csv")
    }

    fn parse_err(r: Result<RoadNetwork>) -> (String, Option<usize>, String) {
        match r {
            Err(Error::Parse {
                source_name,
                line,
                message,
            }) => (source_name, line, message),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn csv_layout_oneway_and_components() -> Result<()> {
        // Columns in another order, one extra column, optional columns present.
        let edges = "to,from,length_m,highway,maxspeed,maxspeed_kmh,oneway,tracktype,way_id\n\
                     2,1,100.0,track,,,0,grade2,7\n\
                     3,2,50.5,motorway_link,120,120,1,,8\n";
        let net = load(NODES, edges)?;
        assert_eq!(net.num_junctions(), 3);
        assert_eq!(net.num_segments(), 3);
        assert_eq!(net.num_weak_components(), 1);
        // 1 <-> 2 is one SCC; 3 only has an arc into it.
        assert_eq!(net.num_strong_components(), 2);
        let g = net.graph();
        let e = g
            .find_edge(NodeIndex::new(1), NodeIndex::new(2))
            .and_then(|e| g.edge_weight(e))
            .copied();
        assert_eq!(
            e,
            Some(RoadSegment {
                length_m: 51,
                time_ms: 1515,
                class: RoadClass::Motorway
            })
        );
        assert!(g.find_edge(NodeIndex::new(2), NodeIndex::new(1)).is_none());
        assert!(g.find_edge(NodeIndex::new(0), NodeIndex::new(1)).is_some());
        assert!(g.find_edge(NodeIndex::new(1), NodeIndex::new(0)).is_some());
        // Minimal edge file: only the required columns.
        let net = load(NODES, "from,to,length_m\n1,3,10\n")?;
        assert_eq!(net.num_segments(), 2);
        // A reverse one-way road runs to -> from only.
        let net = load(NODES, "from,to,length_m,oneway\n1,2,10,-1\n")?;
        let g = net.graph();
        assert!(g.find_edge(NodeIndex::new(1), NodeIndex::new(0)).is_some());
        assert!(g.find_edge(NodeIndex::new(0), NodeIndex::new(1)).is_none());
        Ok(())
    }

    #[test]
    fn csv_errors_name_line_and_column_but_not_the_value() {
        let (src, line, msg) = parse_err(load("id,lat,lon\n1,50,11\n2,fifty,11\n", "from,to,length_m\n"));
        assert_eq!((src.as_str(), line), ("nodes.csv", Some(3)));
        assert!(msg.contains("'lat'") && !msg.contains("fifty"), "{msg}");

        let (_, line, msg) = parse_err(load("id,lat,lon\nx,50,11\n", "from,to,length_m\n"));
        assert_eq!(line, Some(2));
        assert!(msg.contains("'id'"), "{msg}");

        let (_, line, msg) = parse_err(load("id,lat,lon\n1,50,200\n", "from,to,length_m\n"));
        assert_eq!(line, Some(2));
        assert!(msg.contains("'lon'"), "{msg}");

        let (src, line, msg) = parse_err(load(NODES, "from,to,length_m\n1,2,10\n1,2,-3\n"));
        assert_eq!((src.as_str(), line), ("edges.csv", Some(3)));
        assert!(msg.contains("length_m"), "{msg}");

        let (_, line, msg) = parse_err(load(NODES, "from,to,length_m\n1,2,NaN\n"));
        assert_eq!(line, Some(2));
        assert!(msg.contains("length_m"), "{msg}");

        let (_, line, msg) = parse_err(load(NODES, "from,to,length_m,maxspeed_kmh\n1,2,10,fast\n"));
        assert_eq!(line, Some(2));
        assert!(msg.contains("maxspeed_kmh") && !msg.contains("fast"), "{msg}");

        let (_, line, msg) = parse_err(load(NODES, "from,to,length_m,oneway\n1,2,10,maybe\n"));
        assert_eq!(line, Some(2));
        assert!(msg.contains("oneway") && !msg.contains("maybe"), "{msg}");

        // A row with a missing field.
        let (_, line, _) = parse_err(load(NODES, "from,to,length_m\n1,2,10\n1,2\n"));
        assert_eq!(line, Some(3));

        let (_, line, msg) = parse_err(load(NODES, "from,length_m\n1,2\n"));
        assert_eq!(line, Some(1));
        assert!(msg.contains("'to'"), "{msg}");
    }

    #[test]
    fn csv_unknown_duplicate_and_empty() {
        let (_, line, msg) = parse_err(load(NODES, "from,to,length_m\n1,2,10\n2,99,10\n"));
        assert_eq!(line, Some(3));
        assert!(msg.contains("99") && msg.contains("'to'"), "{msg}");

        let r = load("id,lat,lon\n1,50,11\n1,50.1,11\n", "from,to,length_m\n");
        assert!(matches!(r, Err(Error::DuplicateId { kind: "road node", ref id }) if id == "1"));

        let (src, _, _) = parse_err(load("id,lat,lon,in_main_scc\n", "from,to,length_m\n"));
        assert_eq!(src, "nodes.csv");
    }

    #[test]
    fn one_giant_line_is_refused_without_buffering_it() {
        // 3 MiB of zero bytes and no newline (what /dev/zero gives).
        let zeros = std::io::repeat(0).take(3 << 20);
        let r = read_road_csv(zeros, "nodes.csv", "from,to,length_m\n".as_bytes(), "edges.csv");
        let (src, _, msg) = parse_err(r);
        assert_eq!(src, "nodes.csv");
        assert!(msg.contains("longer than"), "{msg}");
    }

    #[test]
    fn missing_file_is_io_error() {
        let r = read_road_csv_files(
            Path::new("/nonexistent/nodes.csv"),
            Path::new("/nonexistent/edges.csv"),
            &ReadOptions::default(),
        );
        assert!(matches!(r, Err(Error::Io { .. })));
    }
}
