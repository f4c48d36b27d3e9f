//! OpenStreetMap PBF import of North-Bayreuth (ODbL, © OpenStreetMap
//! contributors), checked against the CSV graph the reference converter
//! `shared/tools/osm_to_graph.py` derived from the same file.
#![cfg(feature = "osm")]

mod common;

use backroads::Error;
use backroads::io::osm::{OsmElementType, OsmImport, OsmOptions, import_pbf, import_pbf_reader};
use backroads::model::{RoadClass, RoadNetwork};
use common::{arg, backroads, north_bayreuth_dir, north_bayreuth_roads, scratch, test_data};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

fn pbf() -> PathBuf {
    test_data("osm/north-bayreuth.osm.pbf")
}

fn all_roads() -> OsmOptions {
    OsmOptions {
        keep_largest_scc: false,
        ..OsmOptions::default()
    }
}

fn import(opts: &OsmOptions) -> OsmImport {
    import_pbf(&pbf(), opts).expect("North-Bayreuth imports")
}

/// Rows of a reference CSV as header-name → value maps.
fn rows(file: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(north_bayreuth_dir().join(file)).expect("reference CSV opens");
    let h: Vec<String> = rdr.headers().expect("header").iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            h.iter().cloned().zip(r.iter().map(String::from)).collect()
        })
        .collect()
}

fn num(row: &HashMap<String, String>, col: &str) -> f64 {
    row[col].parse().unwrap_or_else(|_| panic!("{col}: {}", row[col]))
}

fn within(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

#[test]
fn counts_and_length_match_the_reference_graph() {
    let osm = import(&all_roads());
    let (nodes, edges) = (rows("nodes.csv"), rows("edges.csv"));
    let s = &osm.stats;
    assert_eq!(s.junctions, nodes.len());
    assert_eq!(s.segments, edges.len());
    assert_eq!(osm.network.num_junctions(), nodes.len());
    let oneway = edges.iter().filter(|e| e["oneway"] == "1").count();
    assert_eq!(s.oneway_segments, oneway);
    assert_eq!(s.arcs, 2 * edges.len() - oneway);
    assert_eq!(osm.network.num_segments(), s.arcs);
    let total: f64 = edges.iter().map(|e| num(e, "length_m")).sum();
    assert!(within(s.total_length_m, total, 1e-6), "{} vs {total}", s.total_length_m);
    let mut by_class: BTreeMap<String, f64> = BTreeMap::new();
    for e in &edges {
        *by_class.entry(e["highway"].clone()).or_default() += num(e, "length_m");
    }
    assert_eq!(
        s.length_by_class.keys().collect::<Vec<_>>(),
        by_class.keys().collect::<Vec<_>>()
    );
    for (k, v) in &by_class {
        assert!(
            within(s.length_by_class[k], *v, 1e-6),
            "{k}: {} vs {v}",
            s.length_by_class[k]
        );
    }
    let ways: HashSet<&str> = edges.iter().map(|e| e["way_id"].as_str()).collect();
    assert_eq!(s.ways_used, ways.len());
    assert_eq!(s.ways_used, 1696); // summary.txt
    assert_eq!(s.ways_excluded_by_access, 87); // shared/data/osm/README.md
    assert_eq!((s.ways_excluded_by_options, s.ways_missing_nodes), (0, 0));
    assert_eq!(s.removed_outside_scc, 0);
    let main = nodes.iter().filter(|n| n["in_main_scc"] == "1").count();
    assert_eq!(s.largest_scc_junctions, main);
    assert_eq!(osm.in_main_scc.iter().filter(|&&m| m).count(), main);
}

#[test]
fn written_csvs_are_byte_identical_to_the_reference() {
    let osm = import(&all_roads());
    let dir = scratch("osm", "identical");
    osm.write_csv_dir(&dir).expect("CSVs written");
    for f in ["nodes.csv", "edges.csv", "settlements.csv"] {
        let ours = std::fs::read_to_string(dir.join(f)).expect("written");
        let theirs = std::fs::read_to_string(north_bayreuth_dir().join(f)).expect("reference");
        if ours != theirs {
            let diff = ours.lines().zip(theirs.lines()).find(|(a, b)| a != b);
            panic!(
                "{f} differs ({} vs {} lines); first difference: {diff:?}",
                ours.lines().count(),
                theirs.lines().count()
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// (from id, to id, length m, time ms, class) of every arc, sorted.
fn arcs(net: &RoadNetwork) -> Vec<(i64, i64, u32, u32, RoadClass)> {
    let g = net.graph();
    let mut v: Vec<_> = g
        .raw_edges()
        .iter()
        .map(|e| {
            let (a, b) = (g[e.source()].id, g[e.target()].id);
            (a, b, e.weight.length_m, e.weight.time_ms, e.weight.class)
        })
        .collect();
    v.sort_by_key(|&(a, b, l, t, _)| (a, b, l, t));
    v
}

#[test]
fn network_equals_the_one_loaded_from_the_csv() {
    let osm = import(&all_roads());
    let csv = north_bayreuth_roads();
    let ours: Vec<_> = osm.network.junctions().copied().collect();
    let theirs: Vec<_> = csv.junctions().copied().collect();
    assert_eq!(ours, theirs);
    assert_eq!(arcs(&osm.network), arcs(&csv));
}

#[test]
fn default_keeps_the_largest_strong_component() {
    let osm = import(&OsmOptions::default());
    let (nodes, edges) = (rows("nodes.csv"), rows("edges.csv"));
    let main: HashSet<&str> = nodes
        .iter()
        .filter(|n| n["in_main_scc"] == "1")
        .map(|n| n["id"].as_str())
        .collect();
    let kept = edges
        .iter()
        .filter(|e| main.contains(e["from"].as_str()) && main.contains(e["to"].as_str()))
        .count();
    let s = &osm.stats;
    assert_eq!(s.junctions, main.len());
    assert_eq!(s.junctions, 2328);
    assert_eq!(s.segments, kept);
    assert_eq!(s.removed_outside_scc, nodes.len() - main.len());
    assert_eq!(s.segments_removed_outside_scc, edges.len() - kept);
    assert_eq!(osm.network.num_strong_components(), 1);
    assert!(osm.in_main_scc.iter().all(|&m| m));
    assert!(
        osm.network
            .junctions()
            .all(|j| main.contains(j.id.to_string().as_str()))
    );
}

#[test]
fn settlements_match_the_reference() {
    let osm = import(&OsmOptions::default());
    let reference = rows("settlements.csv");
    assert_eq!(osm.settlements.len(), reference.len());
    assert_eq!(osm.settlements.len(), 71);
    for (s, r) in osm.settlements.iter().zip(&reference) {
        assert_eq!(s.osm_type.as_str(), r["osm_type"]);
        assert_eq!(s.osm_id.to_string(), r["osm_id"]);
        assert_eq!(s.name, r["name"]);
        assert_eq!(s.place, r["place"]);
        assert!((s.lat - num(r, "lat")).abs() < 1e-7 && (s.lon - num(r, "lon")).abs() < 1e-7);
        assert_eq!(s.population.map(|p| p.to_string()).unwrap_or_default(), r["population"]);
        assert_eq!(s.node.to_string(), r["node"], "{}", s.name);
        assert!((s.snap_m - num(r, "snap_m")).abs() <= 0.051, "{}", s.name);
        // Snapped into the network that was kept.
        assert!(osm.network.junction_index(s.node).is_some());
    }
    let count = |p: &str| osm.settlements.iter().filter(|s| s.place == p).count();
    assert_eq!(
        (count("village"), count("hamlet"), count("isolated_dwelling")),
        (22, 48, 1)
    );
    assert!(osm.settlements.iter().all(|s| s.osm_type == OsmElementType::Node));

    let only_villages = OsmOptions {
        settlement_places: vec!["village".into()],
        ..OsmOptions::default()
    };
    assert_eq!(import(&only_villages).settlements.len(), 22);
}

fn track_length(osm: &OsmImport) -> f64 {
    osm.stats.length_by_class.get("track").copied().unwrap_or(0.0)
}

#[test]
fn track_options_remove_track_length() {
    let all = import(&all_roads());
    let edges = rows("edges.csv");
    let soft: f64 = edges
        .iter()
        .filter(|e| e["highway"] == "track" && matches!(e["tracktype"].as_str(), "grade4" | "grade5"))
        .map(|e| num(e, "length_m"))
        .sum();
    assert!(soft > 10_000.0, "the fixture has soft tracks: {soft}");

    let avoid = import(&OsmOptions {
        avoid_tracktypes: vec![4, 5],
        ..all_roads()
    });
    assert!(avoid.stats.ways_excluded_by_options > 0);
    assert!(
        avoid
            .segments
            .iter()
            .all(|s| !(s.highway == "track" && matches!(s.tracktype.as_str(), "grade4" | "grade5")))
    );
    // The soft tracks' length is gone; the rest is only re-split (0.1 m rounding per segment).
    let expected = track_length(&all) - soft;
    assert!(
        (track_length(&avoid) - expected).abs() < 100.0,
        "{} vs {expected}",
        track_length(&avoid)
    );
    let others = |o: &OsmImport| o.stats.total_length_m - track_length(o);
    assert!((others(&avoid) - others(&all)).abs() < 50.0);

    let none = import(&OsmOptions {
        include_tracks: false,
        ..all_roads()
    });
    assert_eq!(track_length(&none), 0.0);
    assert!(none.segments.iter().all(|s| s.class() != RoadClass::Track));
    assert!((others(&none) - others(&all)).abs() < 50.0);
    assert!(none.stats.total_length_m < 0.5 * all.stats.total_length_m);

    // With the SCC filter on, avoiding tracks still leaves a routable network.
    let avoid_scc = import(&OsmOptions {
        avoid_tracktypes: vec![4, 5],
        ..OsmOptions::default()
    });
    assert_eq!(avoid_scc.network.num_strong_components(), 1);
    assert!(track_length(&avoid_scc) < track_length(&import(&OsmOptions::default())));
}

#[test]
fn geometry_follows_each_segment() {
    let osm = import(&OsmOptions::default());
    assert_eq!(osm.segments.len(), osm.stats.segments);
    let hav = |a: [f64; 2], b: [f64; 2]| {
        let (p1, p2) = (a[1].to_radians(), b[1].to_radians());
        let (dp, dl) = (p2 - p1, (b[0] - a[0]).to_radians());
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6_371_008.8 * h.min(1.0).sqrt().asin()
    };
    let mut shape_points = 0;
    for s in &osm.segments {
        let j = |id: i64| {
            let j = osm
                .network
                .junction(osm.network.junction_index(id).expect("end is a junction"))
                .unwrap();
            [j.lon, j.lat]
        };
        assert!(s.geometry.len() >= 2);
        assert_eq!(s.geometry[0], j(s.from));
        assert_eq!(*s.geometry.last().unwrap(), j(s.to));
        let len: f64 = s.geometry.windows(2).map(|w| hav(w[0], w[1])).sum();
        assert!((len - s.length_m).abs() <= 0.05 + 1e-9, "{len} vs {}", s.length_m);
        assert!(s.length_m + 0.05 >= hav(s.geometry[0], *s.geometry.last().unwrap()));
        assert_ne!(s.from, s.to, "no self-loops");
        shape_points += s.geometry.len() - 2;
    }
    assert!(shape_points > 2 * osm.segments.len(), "{shape_points} shape points");

    let two_way = osm.segments.iter().find(|s| !s.oneway && s.geometry.len() > 2).unwrap();
    let fwd = osm.shape(two_way.from, two_way.to).unwrap();
    let mut back = osm.shape(two_way.to, two_way.from).unwrap();
    back.reverse();
    assert_eq!(fwd, back);
    let lookup = osm.shapes();
    for s in &osm.segments {
        assert_eq!(lookup.shape(s.from, s.to), osm.shape(s.from, s.to));
        if !s.oneway {
            assert_eq!(lookup.shape(s.to, s.from), osm.shape(s.to, s.from));
        }
    }
    // A path over two segments: one polyline, the joint once.
    let (a, b) = osm
        .segments
        .iter()
        .find_map(|a| {
            let b = osm.segments.iter().find(|b| b.from == a.to && b.to != a.from)?;
            Some((a, b))
        })
        .unwrap();
    let path = lookup.path_shape(&[a.from, a.to, b.to]).unwrap();
    let (sa, sb) = (lookup.shape(a.from, a.to).unwrap(), lookup.shape(b.from, b.to).unwrap());
    assert_eq!(path.len(), sa.len() + sb.len() - 1);
    assert_eq!((path[0], *path.last().unwrap()), (sa[0], *sb.last().unwrap()));
    assert_eq!(lookup.path_shape(&[a.from]).unwrap(), vec![sa[0]]);
    let one_way = osm.segments.iter().find(|s| s.oneway).unwrap();
    assert!(osm.shape(one_way.from, one_way.to).is_some());
    if !osm
        .segments
        .iter()
        .any(|s| s.from == one_way.to && s.to == one_way.from)
    {
        assert!(osm.shape(one_way.to, one_way.from).is_none());
    }
}

#[test]
fn reader_variant_gives_the_same_import() {
    let bytes = std::fs::read(pbf()).unwrap();
    let a = import_pbf_reader(std::io::Cursor::new(bytes), "nb.pbf", &OsmOptions::default()).unwrap();
    let b = import(&OsmOptions::default());
    assert_eq!(a.segments, b.segments);
    assert_eq!(a.settlements, b.settlements);
    assert_eq!(arcs(&a.network), arcs(&b.network));
}

fn expect_parse_error(r: backroads::Result<OsmImport>, needle: &str) -> String {
    match r {
        Err(e @ Error::Parse { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(needle), "{msg}");
            msg
        }
        Err(other) => panic!("expected a parse error, got {other:?}"),
        Ok(o) => panic!("expected an error, got {} junctions", o.stats.junctions),
    }
}

/// End of the first (header) block: 4-byte length, BlobHeader, then `datasize` bytes.
fn end_of_first_block(bytes: &[u8]) -> usize {
    let hlen = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
    let header = &bytes[4..4 + hlen];
    let varint = |i: &mut usize| {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = header[*i];
            *i += 1;
            v |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                return v;
            }
        }
    };
    let mut i = 0;
    while i < header.len() {
        let key = varint(&mut i);
        match key & 7 {
            0 if key >> 3 == 3 => return 4 + hlen + varint(&mut i) as usize,
            0 => {
                varint(&mut i);
            }
            2 => {
                let n = varint(&mut i) as usize;
                i += n;
            }
            _ => panic!("unexpected wire type"),
        }
    }
    panic!("no datasize in the blob header")
}

#[test]
fn damaged_files_give_clear_errors() {
    let bytes = std::fs::read(pbf()).unwrap();
    let dir = scratch("osm", "damaged");
    let first = end_of_first_block(&bytes);
    for n in [
        1,
        3,
        4,
        10,
        100,
        first - 1,
        first + 2,
        first + 100,
        20_000,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let p = dir.join(format!("cut-{n}.osm.pbf"));
        std::fs::write(&p, &bytes[..n]).unwrap();
        let msg = expect_parse_error(import_pbf(&p, &OsmOptions::default()), "truncated");
        assert!(msg.contains(&p.display().to_string()), "{msg}");
    }

    // Cut exactly after the header block: a valid PBF without any road.
    let p = dir.join("header-only.osm.pbf");
    std::fs::write(&p, &bytes[..first]).unwrap();
    expect_parse_error(import_pbf(&p, &OsmOptions::default()), "no drivable roads");

    let p = dir.join("empty.osm.pbf");
    std::fs::write(&p, b"").unwrap();
    expect_parse_error(import_pbf(&p, &OsmOptions::default()), "empty");

    // Random bytes (a fixed xorshift stream).
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..50_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let p = dir.join("noise.osm.pbf");
    std::fs::write(&p, &noise).unwrap();
    expect_parse_error(import_pbf(&p, &OsmOptions::default()), "not a valid OSM PBF");
    let mut text = b"<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n".to_vec();
    text.extend_from_slice(b"</osm>\n");
    let p = dir.join("xml.osm.pbf");
    std::fs::write(&p, &text).unwrap();
    expect_parse_error(import_pbf(&p, &OsmOptions::default()), "not a valid OSM PBF");

    // Flipped bytes anywhere: an error or an import, never a panic.
    for k in 0..40usize {
        let mut b = bytes.clone();
        let at = (k * 7919 * 97 + 13) % b.len();
        b[at] ^= 0x5a;
        let _ = import_pbf_reader(std::io::Cursor::new(b), "flipped", &OsmOptions::default());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn missing_file_is_an_io_error() {
    let p = Path::new("/nonexistent/north-bayreuth.osm.pbf");
    match import_pbf(p, &OsmOptions::default()) {
        Err(Error::Io { path, source }) => {
            assert_eq!(path, p);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected an I/O error, got {:?}", other.map(|o| o.stats)),
    }
    // A directory is not a file to read.
    assert!(matches!(
        import_pbf(&common::repo_file(""), &OsmOptions::default()),
        Err(Error::FileRefused { .. })
    ));
}

#[test]
fn cli_prints_stats_and_writes_loadable_csvs() {
    let dir = scratch("osm", "cli");
    let out = backroads(&["osm", arg(&pbf()), "--avoid-tracktypes", "4,5", "--out-dir", arg(&dir)]);
    let stdout = common::stdout(&out);
    let stderr = common::stderr(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("junctions") && stdout.contains("track"), "{stdout}");
    let net = backroads::io::read_road_csv_files(
        &dir.join("nodes.csv"),
        &dir.join("edges.csv"),
        &backroads::io::ReadOptions::default(),
    )
    .expect("written CSVs load");
    let osm = import(&OsmOptions {
        avoid_tracktypes: vec![4, 5],
        ..OsmOptions::default()
    });
    assert_eq!(arcs(&net), arcs(&osm.network));
    let settlements = std::fs::read_to_string(dir.join("settlements.csv")).unwrap();
    assert_eq!(settlements.lines().count(), 72);

    let out = backroads(&["osm", "/nonexistent/x.osm.pbf"]);
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.trim().lines().count() == 1,
        "{stderr}"
    );

    let out = backroads(&["osm", arg(&pbf()), "--avoid-tracktypes", "4,x"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

// ---------------------------------------------------------------------------
// Tiny hand-made PBF files

/// Protobuf field writers, enough for a small `.osm.pbf`.
fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_field(field: u64, v: u64, out: &mut Vec<u8>) {
    varint(field << 3, out);
    varint(v, out);
}

fn bytes_field(field: u64, data: &[u8], out: &mut Vec<u8>) {
    varint((field << 3) | 2, out);
    varint(data.len() as u64, out);
    out.extend_from_slice(data);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Delta-coded packed sint64 values.
fn packed_deltas(field: u64, values: &[i64], out: &mut Vec<u8>) {
    let mut packed = Vec::new();
    let mut prev = 0i64;
    for &v in values {
        varint(zigzag(v.wrapping_sub(prev)), &mut packed);
        prev = v;
    }
    bytes_field(field, &packed, out);
}

/// One file block: length, BlobHeader (type, datasize), Blob (raw data).
fn file_block(kind: &str, data: &[u8], out: &mut Vec<u8>) {
    let mut blob = Vec::new();
    bytes_field(1, data, &mut blob);
    varint_field(2, data.len() as u64, &mut blob);
    let mut header = Vec::new();
    bytes_field(1, kind.as_bytes(), &mut header);
    varint_field(3, blob.len() as u64, &mut header);
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&blob);
}

/// A PBF with dense nodes 1, 2, 3 at the raw (lat, lon) values `raw` (in
/// `granularity` nanodegrees, plus the offsets) and one residential way
/// through them.
fn tiny_pbf(granularity: i32, lat_offset: i64, raw: [(i64, i64); 3]) -> Vec<u8> {
    let mut header = Vec::new();
    bytes_field(4, b"OsmSchema-V0.6", &mut header);
    bytes_field(4, b"DenseNodes", &mut header);
    let mut strings = Vec::new();
    for s in ["", "highway", "residential"] {
        bytes_field(1, s.as_bytes(), &mut strings);
    }
    let mut dense = Vec::new();
    packed_deltas(1, &[1, 2, 3], &mut dense);
    packed_deltas(8, &raw.map(|r| r.0), &mut dense);
    packed_deltas(9, &raw.map(|r| r.1), &mut dense);
    let mut nodes = Vec::new();
    bytes_field(2, &dense, &mut nodes);
    let mut way = Vec::new();
    varint_field(1, 10, &mut way);
    bytes_field(2, &[1], &mut way);
    bytes_field(3, &[2], &mut way);
    packed_deltas(8, &[1, 2, 3], &mut way);
    let mut ways = Vec::new();
    bytes_field(3, &way, &mut ways);
    let mut block = Vec::new();
    bytes_field(1, &strings, &mut block);
    bytes_field(2, &nodes, &mut block);
    bytes_field(2, &ways, &mut block);
    varint_field(17, granularity as i64 as u64, &mut block);
    varint_field(19, lat_offset as u64, &mut block);
    let mut file = Vec::new();
    file_block("OSMHeader", &header, &mut file);
    file_block("OSMData", &block, &mut file);
    file
}

fn import_bytes(bytes: Vec<u8>) -> backroads::Result<OsmImport> {
    import_pbf_reader(std::io::Cursor::new(bytes), "tiny.osm.pbf", &all_roads())
}

fn node_rows(osm: &OsmImport) -> String {
    let mut out = Vec::new();
    osm.write_nodes_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The fuzzer's `osm_pbf` crash: osmpbf computes `offset + granularity ×
/// value` unchecked, so in release builds a huge coordinate wrapped into a
/// valid-looking one. Such a block is now a parse error naming the overflow.
#[test]
fn coordinates_that_overflow_are_refused_not_wrapped() {
    // 50.0, 11.0 and nearby in the default 100-nanodegree grid: imports.
    let good = [
        (500_000_000, 110_000_000),
        (500_010_000, 110_000_000),
        (500_020_000, 110_000_000),
    ];
    let osm = import_bytes(tiny_pbf(100, 0, good)).expect("a valid tiny PBF");
    assert_eq!(osm.stats.junctions, 2, "{}", node_rows(&osm));
    assert!(
        node_rows(&osm).contains("1,50.0000000,11.0000000,1"),
        "{}",
        node_rows(&osm)
    );

    // granularity × lat = (2³¹ − 1) × 2³³ wraps to −2³³ nanodegrees
    // (−8.59°, in range) without the check.
    let mut huge = good;
    huge[0].0 = 1 << 33;
    let msg = expect_parse_error(import_bytes(tiny_pbf(i32::MAX, 0, huge)), "overflows");
    assert!(msg.contains("node 1: latitude"), "{msg}");
    // The offset added to an in-range product.
    expect_parse_error(import_bytes(tiny_pbf(100, i64::MAX, good)), "overflows");
    // Delta-coded values whose running sum does not fit.
    let mut far = good;
    far[1].0 = i64::MAX;
    far[2].0 = -2;
    expect_parse_error(import_bytes(tiny_pbf(1, 0, far)), "overflow");

    // Far out of range but no overflow: 5·10¹¹ nanodegrees is 5·10⁹ in 10⁻⁷
    // degrees, which an `as i32` cast turns into 70.5°. The node is invalid,
    // so the way misses a node.
    let mut out_of_range = good;
    out_of_range[0].0 = 5_000_000_000;
    match import_bytes(tiny_pbf(100, 0, out_of_range)) {
        Err(e) => assert!(e.to_string().contains("1 with missing nodes"), "{e}"),
        Ok(osm) => panic!("imported a wrapped coordinate: {}", node_rows(&osm)),
    }
}
