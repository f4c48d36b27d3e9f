//! The North-Bayreuth OSM road graph (ODbL, © OpenStreetMap contributors):
//! loading, snapping the 71 settlements and all-pairs road distances.

mod common;

use backroads::distance::{RoadOracle, TravelOracle, is_unreachable};
use backroads::model::Location;
use common::{north_bayreuth_roads, north_bayreuth_settlements};
use geo::{Distance, Haversine, Point};

#[test]
fn road_network_counts_match_the_summary() {
    let net = north_bayreuth_roads();
    assert_eq!(net.num_junctions(), 2442);
    // 2,924 segments, 120 one-way: 2 × 2,804 + 120 arcs.
    assert_eq!(net.num_segments(), 2 * (2924 - 120) + 120);
    assert_eq!(net.num_segments(), 5728);
    assert_eq!(net.num_weak_components(), 23);
    assert_eq!(net.num_strong_components(), 80);
}

#[test]
fn road_oracle_over_the_settlements() {
    let net = north_bayreuth_roads();
    let towns = north_bayreuth_settlements();
    assert_eq!(towns.len(), 71);
    let locs: Vec<Location> = towns.iter().map(|&(_, lon, lat)| Location::Geo { lon, lat }).collect();
    let o = RoadOracle::new(&net, &locs).expect("oracle builds");
    assert_eq!(o.num_locations(), 71);
    let snaps = o.snaps().expect("road oracles report snaps");
    assert!(
        snaps.iter().all(|s| s.distance_m < 500.0),
        "every settlement is within 500 m of a road"
    );
    let mut ratios = Vec::new();
    for a in 0..locs.len() {
        assert_eq!(o.distance(a, a), 0);
        for b in 0..locs.len() {
            if a == b {
                continue;
            }
            let d = o.distance(a, b);
            let t = o.duration(a, b).expect("road oracles know times");
            assert!(
                !is_unreachable(d) && !is_unreachable(t),
                "{} -> {} unreachable",
                towns[a].0,
                towns[b].0
            );
            let straight = Haversine.distance(Point::new(towns[a].1, towns[a].2), Point::new(towns[b].1, towns[b].2));
            let lower = straight - snaps[a].distance_m - snaps[b].distance_m;
            // Only the rounding of the total to whole metres may fall below the bound.
            assert!(
                d as f64 >= lower - 1.0,
                "{} -> {}: road {d} m < straight {straight:.0} m",
                towns[a].0,
                towns[b].0
            );
            assert!(t > 0);
            ratios.push(d as f64 / straight);
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    eprintln!(
        "road/straight ratio over {} pairs: median {median:.3}, min {:.3}, max {:.3}; symmetric: {}",
        ratios.len(),
        ratios[0],
        ratios[ratios.len() - 1],
        o.is_symmetric()
    );
    assert!((1.0..2.5).contains(&median), "median ratio {median}");
}
