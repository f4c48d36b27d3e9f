//! Road-network matrices over the North-Bayreuth OSM graph
//! (ODbL, © OpenStreetMap contributors): `RoadOracle::new` for the 71
//! settlements and for 300 junctions sampled deterministically.

use backroads::distance::RoadOracle;
use backroads::model::Location;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/osm/north_bayreuth")
}

fn settlements() -> Vec<Location> {
    let mut rdr = csv::Reader::from_path(dir().join("settlements.csv")).expect("settlements.csv opens");
    let h = rdr.headers().expect("header").clone();
    let col = |name: &str| h.iter().position(|c| c == name).expect("column present");
    let (c_lat, c_lon) = (col("lat"), col("lon"));
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            Location::Geo {
                lon: r[c_lon].parse().expect("lon"),
                lat: r[c_lat].parse().expect("lat"),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let d = dir();
    let net = backroads::io::read_road_csv_files(
        &d.join("nodes.csv"),
        &d.join("edges.csv"),
        &backroads::io::ReadOptions::default(),
    )
    .expect("graph loads");
    let towns = settlements();
    // Every k-th junction, nudged ~50 m north-east so snapping has work to do.
    let step = (net.num_junctions() / 300).max(1);
    let sampled: Vec<Location> = net
        .junctions()
        .step_by(step)
        .take(300)
        .map(|j| Location::Geo {
            lon: j.lon + 0.0005,
            lat: j.lat + 0.0003,
        })
        .collect();

    let mut g = c.benchmark_group("road_matrix");
    g.bench_function("north_bayreuth_71_settlements", |b| {
        b.iter(|| RoadOracle::new(black_box(&net), black_box(&towns)).expect("oracle"))
    });
    g.bench_function("north_bayreuth_300_junctions", |b| {
        b.iter(|| RoadOracle::new(black_box(&net), black_box(&sampled)).expect("oracle"))
    });
    g.bench_function("load_csv", |b| {
        b.iter(|| {
            backroads::io::read_road_csv_files(
                &d.join("nodes.csv"),
                &d.join("edges.csv"),
                &backroads::io::ReadOptions::default(),
            )
            .expect("graph loads")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
