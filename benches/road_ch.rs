//! Contraction-hierarchy measurements (not criterion: one run, printed).
//!
//! ```text
//! cargo bench --bench road_ch                       # 1M-junction grid + real extracts
//! BACKROADS_CH_N=250000 cargo bench --bench road_ch # a smaller grid
//! ```
//! Environment: `BACKROADS_CH_N` grid junctions (default 1,000,000; 0 skips
//! the grid), `BACKROADS_CH_LOCATIONS` table size (default 5,000),
//! `BACKROADS_CH_DENSE` dense Dijkstra sources for the comparison (default
//! 300), `BACKROADS_CH_RESOLVE` far pairs resolved by a sparse oracle with
//! and without the hierarchy (default 1,000; 0 skips). Real extracts: every `../shared/data/osm/*/` holding `nodes.csv` and
//! `edges.csv` (said so when absent).
//!
//! Prints, per graph: preparation time, the hierarchy's heap bytes (from
//! vector capacities), peak RSS so far (`VmHWM`), the `L × L` table time
//! (junction table, then the same through `ChRoadOracle` with snapping and
//! access legs), the dense oracle's time on a few hundred locations
//! (`RoadOracle::new`, one Dijkstra per location) with a check that the two
//! agree on those pairs.

use backroads::distance::{ChRoadOracle, RoadCh, RoadOracle, SparseRoadOracle, TravelOracle};
use backroads::model::{Location, RoadClass, RoadNetwork};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Deterministic hash of `x` to `[0, 1)` (splitmix64).
fn unit(x: u64) -> f64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "n/a".into())
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A square grid of about `n` junctions, ~300 m apart: random speeds
/// (20–100 km/h), winding 1–1.4 × straight, 3 % of segments missing, 10 %
/// one-way (row 0 and column 0 two-way, so it stays connected).
fn grid(n: usize) -> backroads::Result<RoadNetwork> {
    let side = (n as f64).sqrt().ceil() as usize;
    let (dlon, dlat) = (0.0042, 0.0027);
    let mut net = RoadNetwork::new();
    for r in 0..side {
        for c in 0..side {
            net.add_junction((r * side + c) as i64, 8.0 + c as f64 * dlon, 48.0 + r as f64 * dlat)?;
        }
    }
    let mut seg = 0u64;
    for r in 0..side {
        for c in 0..side {
            for (r2, c2) in [(r, c + 1), (r + 1, c)] {
                if r2 >= side || c2 >= side {
                    continue;
                }
                seg += 1;
                let spine = r == 0 || c == 0;
                if !spine && unit(seg) < 0.03 {
                    continue;
                }
                let length = 300.0 * (1.0 + 0.4 * unit(seg ^ 0xabcd));
                let speed = 20.0 + 80.0 * unit(seg ^ 0x1234);
                let oneway = !spine && unit(seg ^ 0x7777) < 0.10;
                let (a, b) = ((r * side + c) as i64, (r2 * side + c2) as i64);
                let (a, b) = if unit(seg ^ 0x4242) < 0.5 { (a, b) } else { (b, a) };
                net.add_segment(a, b, length, RoadClass::Other, Some(speed), oneway)?;
            }
        }
    }
    Ok(net)
}

/// `count` junctions spread over the graph (deterministic), nudged ~50 m.
fn sample(net: &RoadNetwork, count: usize, salt: u64) -> Vec<Location> {
    let all: Vec<_> = net.junctions().collect();
    (0..count as u64)
        .map(|i| {
            let j = all[(unit(i ^ salt) * all.len() as f64) as usize % all.len()];
            Location::Geo {
                lon: j.lon + 0.0005,
                lat: j.lat + 0.0003,
            }
        })
        .collect()
}

fn measure(name: &str, net: &RoadNetwork, locations: usize, dense_sources: usize) -> backroads::Result<()> {
    println!(
        "== {name}: {} junctions, {} arcs; VmHWM after loading {}",
        net.num_junctions(),
        net.num_segments(),
        vm_hwm()
    );
    let t0 = Instant::now();
    let ch = RoadCh::new(net)?;
    let prep = t0.elapsed();
    println!(
        "  CH preparation {:.2} s; {} hierarchy arcs; heap {}; VmHWM {}",
        prep.as_secs_f64(),
        ch.num_arcs(),
        mib(ch.heap_bytes()),
        vm_hwm()
    );
    let locs = sample(net, locations, 0x5eed);
    // The junction table alone (snapped junctions of the sampled locations).
    let nodes: Vec<u32> = {
        let mut v: Vec<u32> = (0..locations as u64)
            .map(|i| (unit(i ^ 0x5eed) * net.num_junctions() as f64) as u32 % net.num_junctions() as u32)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let t1 = Instant::now();
    let table = ch.many_to_many(&nodes, &nodes);
    let tt = t1.elapsed();
    let reachable = table.iter().filter(|c| c.is_some()).count();
    println!(
        "  junction table {} x {}: {:.2} s ({} reachable); VmHWM {}",
        nodes.len(),
        nodes.len(),
        tt.as_secs_f64(),
        reachable,
        vm_hwm()
    );
    drop(table);
    let t2 = Instant::now();
    let oracle = ChRoadOracle::with_ch(net, &locs, ch)?;
    println!(
        "  ChRoadOracle over {} locations (snapping, SCC, table, access legs): {:.2} s; VmHWM {}",
        locs.len(),
        t2.elapsed().as_secs_f64(),
        vm_hwm()
    );
    if dense_sources > 0 {
        let few = sample(net, dense_sources, 0xd0d0);
        let t3 = Instant::now();
        let dense = RoadOracle::new(net, &few)?;
        let td = t3.elapsed();
        let ch_few = ChRoadOracle::with_ch(net, &few, oracle.hierarchy().clone())?;
        let n = few.len();
        let same = (0..n).all(|a| {
            (0..n).all(|b| {
                dense.distance(a, b) == ch_few.distance(a, b) && dense.duration_ms(a, b) == ch_few.duration_ms(a, b)
            })
        });
        println!(
            "  dense RoadOracle over {n} locations ({n} Dijkstras): {:.2} s = {:.1} ms per source; \
             extrapolated {locations} sources: {:.0} s; CH identical on those pairs: {same}",
            td.as_secs_f64(),
            td.as_secs_f64() * 1e3 / n as f64,
            td.as_secs_f64() * locations as f64 / n as f64
        );
    }
    let far_pairs = env_usize("BACKROADS_CH_RESOLVE", 1_000);
    if far_pairs > 0 {
        // resolve_exact of far pairs of a sparse oracle (k = 40, 5 depots):
        // point-to-many Dijkstra against hierarchy pair queries.
        let count = (4 * far_pairs).min(30_000);
        let locs = sample(net, count, 0xfa7);
        let pairs: Vec<(usize, usize)> = (0..far_pairs)
            .map(|i| ((i * 7919) % count, (i * 104_729 + 1) % count))
            .collect();
        let mut answers = Vec::new();
        for with_ch in [false, true] {
            let mut sparse = SparseRoadOracle::new(net, &locs, 5.min(count), 40)?;
            if with_ch {
                sparse = sparse.with_hierarchy(oracle.hierarchy().clone())?;
            }
            let t = Instant::now();
            sparse.resolve_exact(&pairs);
            println!(
                "  SparseRoadOracle ({count} locations) resolve_exact of {} estimated far pairs {}: {:.2} s",
                sparse.resolved_pairs(),
                if with_ch { "by hierarchy queries" } else { "by Dijkstra" },
                t.elapsed().as_secs_f64()
            );
            answers.push(
                pairs
                    .iter()
                    .map(|&(a, b)| (sparse.distance(a, b), sparse.duration_ms(a, b)))
                    .collect::<Vec<_>>(),
            );
        }
        println!("  both resolve to the same figures: {}", answers[0] == answers[1]);
    }
    println!("  VmHWM at the end {}", vm_hwm());
    Ok(())
}

fn extracts() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/osm");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("nodes.csv").is_file() && p.join("edges.csv").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    if dirs.is_empty() {
        println!("no real extracts: {} holds no */nodes.csv + edges.csv", root.display());
    }
    dirs
}

fn main() -> backroads::Result<()> {
    let n = env_usize("BACKROADS_CH_N", 1_000_000);
    let locations = env_usize("BACKROADS_CH_LOCATIONS", 5_000);
    let dense = env_usize("BACKROADS_CH_DENSE", 300);
    println!("threads: {}", rayon::current_num_threads());
    for dir in extracts() {
        let net = backroads::io::read_road_csv_files(
            &dir.join("nodes.csv"),
            &dir.join("edges.csv"),
            &backroads::io::ReadOptions::default(),
        )?;
        let locs = locations.min(net.num_junctions());
        measure(&dir.display().to_string(), &net, locs, dense.min(locs))?;
    }
    if n > 0 {
        let t = Instant::now();
        let net = grid(n)?;
        println!("grid built in {:.2} s", t.elapsed().as_secs_f64());
        measure(&format!("synthetic grid ~{n}"), &net, locations, dense)?;
    }
    Ok(())
}
