//! Road network CSVs (`backroads::io::read_road_csv`): the input is
//! `nodes.csv`, a NUL byte, then `edges.csv`. An accepted network gets a
//! road oracle over three points and answers every pair.
#![no_main]

use backroads::distance::{RoadOracle, TravelOracle};
use backroads::model::Location;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (nodes, edges) = backroads_fuzz::split_at_nul(data);
    let Ok(net) = backroads::io::read_road_csv(nodes, "nodes.csv", edges, "edges.csv") else {
        return;
    };
    let _ = (net.num_strong_components(), net.num_weak_components());
    // Two points in the seed networks' area and the first junction itself.
    let mut locations = vec![
        Location::Geo { lon: 11.5, lat: 50.0 },
        Location::Geo { lon: 11.71, lat: 50.1 },
    ];
    if let Some(j) = net.junctions().next() {
        locations.push(Location::Geo { lon: j.lon, lat: j.lat });
    }
    if let Ok(oracle) = RoadOracle::new(&net, &locations) {
        for a in 0..locations.len() {
            for b in 0..locations.len() {
                let _ = (oracle.distance(a, b), oracle.duration(a, b));
            }
        }
    }
});
