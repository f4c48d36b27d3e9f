//! OpenStreetMap `.osm.pbf` bytes (`backroads::io::osm::import_pbf_reader`);
//! an accepted import is written back as CSV and read again.
#![no_main]

use backroads::io::osm::{OsmOptions, import_pbf_reader};
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let Ok(import) = import_pbf_reader(Cursor::new(data), "fuzz.osm.pbf", &OsmOptions::default()) else {
        return;
    };
    let (mut nodes, mut edges, mut settlements) = (Vec::new(), Vec::new(), Vec::new());
    if import.write_nodes_csv(&mut nodes).is_ok() && import.write_edges_csv(&mut edges).is_ok() {
        let _ = backroads::io::read_road_csv(&nodes[..], "nodes.csv", &edges[..], "edges.csv");
    }
    let _ = import.write_settlements_csv(&mut settlements);
});
