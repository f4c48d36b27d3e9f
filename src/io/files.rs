//! Opening input files: the one way every reader of the library opens a
//! file, and the confinement of files a problem references.
//!
//! # Limits
//! * Only regular files are read: a device (`/dev/zero`), FIFO, socket or
//!   directory is refused ([`FileRefusal::NotRegular`]) before it is opened.
//! * A file larger than its limit is refused from its size alone
//!   ([`FileRefusal::TooLarge`]): [`ReadOptions::max_input_bytes`] (default
//!   [`DEFAULT_MAX_INPUT_BYTES`], 512 MiB) for problems, towns CSVs, road
//!   CSVs and OSM extracts, [`ReadOptions::max_solution_bytes`] (default
//!   [`DEFAULT_MAX_SOLUTION_BYTES`], 64 MiB) for solutions and BKS tables.
//!   The bound also holds while reading, so a file that grows or lies about
//!   its size stops with an error at the limit.
//! * CSV lines are at most [`MAX_CSV_LINE_BYTES`] (1 MiB), so a file of one
//!   giant line never becomes one giant record.
//!
//! # Referenced files
//! A JSON problem may name other files (`towns_csv`, `road_network`
//! `nodes_csv` / `edges_csv`, `osm` `pbf`). [`resolve_files`] reads them
//! into the spec before the model sees it, and only inside the problem
//! file's folder: paths are canonicalised, so `../` and symlinks leading out
//! of it are refused like absolute paths elsewhere
//! ([`FileRefusal::Outside`]). A problem read from text without a folder
//! reads no file at all ([`FileRefusal::NoFolder`]).
//! [`ReadOptions::allow_outside`] (CLI `--allow-files-outside`) lifts both.

use crate::error::{Error, FileRefusal, Result};
use crate::model::{ProblemSpec, TravelSpec};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default [`ReadOptions::max_input_bytes`]: 512 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 512 << 20;
/// Default [`ReadOptions::max_solution_bytes`]: 64 MiB.
pub const DEFAULT_MAX_SOLUTION_BYTES: u64 = 64 << 20;
/// Longest CSV line accepted, bytes (1 MiB).
pub const MAX_CSV_LINE_BYTES: u64 = 1 << 20;

/// Which files the readers may open, and how large they may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Files a problem references may lie anywhere (and a problem read from
    /// text without a folder may reference files); default false: only
    /// inside the problem file's folder.
    pub allow_outside: bool,
    /// Largest problem file, towns CSV, road CSV or OSM extract, bytes.
    pub max_input_bytes: u64,
    /// Largest solution (`.sol`, JSON) or BKS table, bytes.
    pub max_solution_bytes: u64,
    /// The distance convention of `.vrp` files; `None` = the file kind's
    /// default (see [`crate::io::vrplib`], "Distance conventions").
    pub rounding: Option<crate::model::Rounding>,
}

impl Default for ReadOptions {
    /// Confined to the problem's folder, the default size limits.
    fn default() -> Self {
        ReadOptions {
            allow_outside: false,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_solution_bytes: DEFAULT_MAX_SOLUTION_BYTES,
            rounding: None,
        }
    }
}

impl ReadOptions {
    /// The defaults, with referenced files allowed anywhere.
    pub fn allowing_outside() -> Self {
        ReadOptions {
            allow_outside: true,
            ..Self::default()
        }
    }
}

/// An open input file that yields at most its limit in bytes: reading past
/// it is an I/O error (`InvalidData`), not a silent end of file.
#[derive(Debug)]
pub struct InputFile {
    file: File,
    pos: u64,
    limit: u64,
}

fn refused(path: &Path, reason: FileRefusal) -> Error {
    Error::FileRefused {
        path: path.to_path_buf(),
        reason,
    }
}

fn check_metadata(path: &Path, meta: &std::fs::Metadata, limit: u64) -> Result<()> {
    if !meta.is_file() {
        return Err(refused(path, FileRefusal::NotRegular));
    }
    if meta.len() > limit {
        return Err(refused(
            path,
            FileRefusal::TooLarge {
                size: meta.len(),
                limit,
            },
        ));
    }
    Ok(())
}

/// Opens a regular file of at most `limit` bytes for reading.
pub fn open_input(path: &Path, limit: u64) -> Result<InputFile> {
    // Looked at before opening: opening a FIFO would block until a writer
    // comes.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    check_metadata(path, &meta, limit)?;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    // And again on the open file, in case the path was replaced in between.
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    check_metadata(path, &meta, limit)?;
    Ok(InputFile { file, pos: 0, limit })
}

/// Reads a regular UTF-8 text file of at most `limit` bytes.
pub fn read_input_text(path: &Path, limit: u64) -> Result<String> {
    let mut file = open_input(path, limit)?;
    let size = file.file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_string(&mut text).map_err(|e| Error::io(path, e))?;
    Ok(text)
}

impl Read for InputFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Up to one byte past the limit, to tell a file that ends there from
        // one that goes on.
        let room = self.limit.saturating_add(1).saturating_sub(self.pos);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let got = self.file.read(&mut buf[..want])?;
        self.pos += got as u64;
        if self.pos > self.limit {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the file grew past the limit of {} bytes while being read", self.limit),
            ));
        }
        Ok(got)
    }
}

impl Seek for InputFile {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.file.seek(to)?;
        Ok(self.pos)
    }
}

/// Fails a read once a line runs longer than `max` bytes, so that a CSV
/// reader never buffers an unbounded record.
pub(crate) struct LineBound<R> {
    inner: R,
    max: u64,
    run: u64,
    line: u64,
}

impl<R> LineBound<R> {
    /// Lines of at most [`MAX_CSV_LINE_BYTES`].
    pub(crate) fn new(inner: R) -> Self {
        LineBound {
            inner,
            max: MAX_CSV_LINE_BYTES,
            run: 0,
            line: 1,
        }
    }
}

impl<R: Read> Read for LineBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' {
                self.run = 0;
                self.line += 1;
            } else {
                self.run += 1;
                if self.run > self.max {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("line {} is longer than {} bytes", self.line, self.max),
                    ));
                }
            }
        }
        Ok(n)
    }
}

/// Where a file a problem references may be read: `path` joined to
/// `base_dir` when relative. Unless `opts.allow_outside`, the file must lie
/// inside `base_dir` once both are canonicalised (symlinks and `..`
/// followed); the canonical path is returned to be opened.
pub fn confine(path: &Path, base_dir: Option<&Path>, opts: &ReadOptions) -> Result<PathBuf> {
    let joined = match base_dir {
        Some(base) if path.is_relative() => base.join(path),
        _ => path.to_path_buf(),
    };
    if opts.allow_outside {
        return Ok(joined);
    }
    let Some(base) = base_dir else {
        return Err(refused(&joined, FileRefusal::NoFolder));
    };
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let real_base = base.canonicalize().map_err(|e| Error::io(base, e))?;
    let real = joined.canonicalize().map_err(|e| Error::io(&joined, e))?;
    if !real.starts_with(&real_base) {
        return Err(refused(
            &joined,
            FileRefusal::Outside {
                folder: base.to_path_buf(),
            },
        ));
    }
    Ok(real)
}

/// Reads the files a problem spec references into it, so that the model
/// gets everything in memory: `towns_csv` rows are appended to `towns`, a
/// `road_network` or `osm` travel becomes [`TravelSpec::Roads`] (OSM
/// settlements appended to `towns` after the CSV's). Relative paths are
/// taken against `base_dir` (normally the problem file's folder) and are
/// confined to it (see [`confine`]); errors name the file as the spec gives
/// it, never its content.
pub fn resolve_files(mut spec: ProblemSpec, base_dir: Option<&Path>, opts: &ReadOptions) -> Result<ProblemSpec> {
    let shown = |p: &Path| match base_dir {
        Some(base) if p.is_relative() => base.join(p).display().to_string(),
        _ => p.display().to_string(),
    };
    if let Some(csv) = spec.towns_csv.take() {
        let real = confine(&csv.path, base_dir, opts)?;
        let csv_opts = super::TownCsvOptions {
            default_demand: csv.default_demand,
            default_service_time_s: csv.default_service_time_s,
        };
        let file = open_input(&real, opts.max_input_bytes)?;
        let towns = super::read_towns_csv(std::io::BufReader::new(file), &shown(&csv.path), &csv_opts)?;
        spec.towns.extend(towns);
    }
    match spec.travel.take() {
        Some(TravelSpec::RoadNetwork { nodes_csv, edges_csv }) => {
            let nodes = open_input(&confine(&nodes_csv, base_dir, opts)?, opts.max_input_bytes)?;
            let edges = open_input(&confine(&edges_csv, base_dir, opts)?, opts.max_input_bytes)?;
            let net = super::road_csv::read_road_csv(nodes, &shown(&nodes_csv), edges, &shown(&edges_csv))?;
            spec.travel = Some(TravelSpec::Roads(Arc::new(net)));
        }
        Some(TravelSpec::Osm {
            pbf,
            avoid_tracktypes,
            include_tracks,
            settlements,
        }) => {
            let file = open_input(&confine(&pbf, base_dir, opts)?, opts.max_input_bytes)?;
            let (net, towns) = import_osm(
                file,
                &shown(&pbf),
                &avoid_tracktypes,
                include_tracks,
                settlements.as_ref(),
            )?;
            spec.towns.extend(towns);
            spec.travel = Some(TravelSpec::Roads(net));
        }
        other => spec.travel = other,
    }
    Ok(spec)
}

/// Reads an OSM extract into a road network and, if asked, its settlements
/// as towns (ids `osm-<node id>`).
#[cfg(feature = "osm")]
fn import_osm(
    file: InputFile,
    name: &str,
    avoid_tracktypes: &[u8],
    include_tracks: bool,
    settlements: Option<&crate::model::OsmSettlementsSpec>,
) -> Result<(Arc<crate::model::RoadNetwork>, Vec<crate::model::TownSpec>)> {
    use crate::model::{Location, TownSpec};
    let mut opts = super::osm::OsmOptions {
        avoid_tracktypes: avoid_tracktypes.to_vec(),
        include_tracks,
        ..Default::default()
    };
    if let Some(s) = settlements {
        opts.settlement_places = s.places.clone();
    }
    let import = super::osm::import_pbf_reader(std::io::BufReader::new(file), name, &opts)?;
    let towns = settlements
        .map(|s| {
            import
                .settlements
                .iter()
                .map(|p| TownSpec {
                    id: format!("osm-{}", p.osm_id),
                    name: p.name.clone(),
                    location: Location::Geo { lon: p.lon, lat: p.lat },
                    demand: s.demand.into(),
                    service_time_s: s.service_time_s,
                    pickup: 0.0.into(),
                    prize: None,
                    priority: None,
                    release: None,
                    windows: s.windows.clone(),
                    drops: None,
                    days: None,
                    patterns: None,
                    vehicle_types: None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((Arc::new(import.network), towns))
}

#[cfg(not(feature = "osm"))]
fn import_osm(
    _: InputFile,
    _: &str,
    _: &[u8],
    _: bool,
    _: Option<&crate::model::OsmSettlementsSpec>,
) -> Result<(Arc<crate::model::RoadNetwork>, Vec<crate::model::TownSpec>)> {
    Err(Error::InvalidProblem(
        "travel 'osm' needs backroads built with the 'osm' feature".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::io::{read_problem_file, read_problem_json, read_problem_json_file, read_solution_file};
    use crate::model::Problem;
    use std::io::Write as _;

    /// A fresh scratch folder per test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("backroads-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const TOWNS: &str = "id,lat,lon\nt1,50.0,11.6\n";

    /// A problem whose towns come from `towns_csv`.
    fn problem_with_csv(path: &str) -> String {
        format!(
            r#"{{"depots": [{{"id": "D", "location": {{"lon": 11.5, "lat": 50.0}}}}],
                "towns_csv": {{"path": {path:?}}},
                "fleet": [{{"id": "van", "depot": "D", "capacity": 10}}]}}"#
        )
    }

    fn refusal(r: Result<Problem>) -> FileRefusal {
        match r {
            Err(Error::FileRefused { reason, .. }) => reason,
            other => panic!("expected a refused file, got {other:?}"),
        }
    }

    #[test]
    fn referenced_files_stay_inside_the_problem_folder() {
        let root = scratch("confine");
        let dir = root.join("problem");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/towns.csv"), TOWNS).unwrap();
        std::fs::write(root.join("outside.csv"), TOWNS).unwrap();
        std::os::unix::fs::symlink(root.join("outside.csv"), dir.join("link.csv")).unwrap();
        let read = |csv: &str, opts: &ReadOptions| {
            crate::io::read_problem_json_with(&problem_with_csv(csv), "p.json", Some(&dir), opts)
        };
        let confined = ReadOptions::default();
        // Inside, also through a `..` that stays inside.
        assert_eq!(read("sub/towns.csv", &confined).unwrap().towns.len(), 1);
        assert_eq!(read("sub/../sub/towns.csv", &confined).unwrap().towns.len(), 1);
        let outside = root.join("outside.csv").display().to_string();
        for csv in ["../outside.csv", outside.as_str(), "link.csv", "/proc/self/environ"] {
            assert!(
                matches!(refusal(read(csv, &confined)), FileRefusal::Outside { .. }),
                "{csv}"
            );
            if csv != "/proc/self/environ" {
                assert_eq!(
                    read(csv, &ReadOptions::allowing_outside()).unwrap().towns.len(),
                    1,
                    "{csv}"
                );
            }
        }
        // The message says how to allow it.
        let msg = read("../outside.csv", &confined).unwrap_err().to_string();
        assert!(msg.contains("--allow-files-outside"), "{msg}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn text_without_a_folder_reads_no_file() {
        let dir = scratch("nofolder");
        let csv = dir.join("towns.csv");
        std::fs::write(&csv, TOWNS).unwrap();
        let json = problem_with_csv(&csv.display().to_string());
        assert_eq!(refusal(read_problem_json(&json, "p.json", None)), FileRefusal::NoFolder);
        let allowed = crate::io::read_problem_json_with(&json, "p.json", None, &ReadOptions::allowing_outside());
        assert_eq!(allowed.unwrap().towns.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn road_network_and_osm_paths_are_confined_too() {
        let dir = scratch("roads");
        let json = |travel: &str| {
            format!(
                r#"{{"travel": {travel}, "depots": [{{"id": "D", "location": {{"lon": 11.5, "lat": 50.0}}}}],
                    "towns": [{{"id": "t", "location": {{"lon": 11.6, "lat": 50.0}}}}],
                    "fleet": [{{"id": "van", "depot": "D", "capacity": 10}}]}}"#
            )
        };
        for travel in [
            r#"{"kind": "road_network", "nodes_csv": "/etc/passwd", "edges_csv": "e.csv"}"#,
            r#"{"kind": "road_network", "nodes_csv": "n.csv", "edges_csv": "../e.csv"}"#,
            r#"{"kind": "osm", "pbf": "/etc/passwd"}"#,
        ] {
            std::fs::write(dir.join("n.csv"), "id,lat,lon\n1,50,11.5\n").unwrap();
            let r = crate::io::read_problem_json(&json(travel), "p.json", Some(&dir));
            match r {
                Err(Error::FileRefused {
                    reason: FileRefusal::Outside { .. },
                    ..
                })
                | Err(Error::Io { .. }) => {}
                other => panic!("{travel}: {other:?}"),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn referenced_csv_errors_do_not_show_its_content() {
        let dir = scratch("secret");
        // A "header" line of secrets, as /proc/self/environ would give.
        std::fs::write(dir.join("towns.csv"), "SECRET_TOKEN=hunter2,PATH=/x\nid,lat,lon\n").unwrap();
        std::fs::write(dir.join("p.json"), problem_with_csv("towns.csv")).unwrap();
        let msg = read_problem_json_file(&dir.join("p.json")).unwrap_err().to_string();
        assert!(msg.contains("towns.csv") && msg.contains(":1"), "{msg}");
        assert!(!msg.contains("SECRET") && !msg.contains("hunter2"), "{msg}");
        // A bad cell: line and column, not the cell.
        std::fs::write(dir.join("towns.csv"), "id,lat,lon\nt1,hunter2,11\n").unwrap();
        let msg = read_problem_json_file(&dir.join("p.json")).unwrap_err().to_string();
        assert!(
            msg.contains(":2") && msg.contains("'lat'") && !msg.contains("hunter2"),
            "{msg}"
        );
        // The same for the road CSVs.
        std::fs::write(dir.join("nodes.csv"), "hunter2;secret\n").unwrap();
        std::fs::write(dir.join("edges.csv"), "from,to,length_m\n").unwrap();
        let roads = r#"{"travel": {"kind": "road_network", "nodes_csv": "nodes.csv", "edges_csv": "edges.csv"},
            "depots": [{"id": "D", "location": {"lon": 11.5, "lat": 50.0}}],
            "towns": [{"id": "t", "location": {"lon": 11.6, "lat": 50.0}}],
            "fleet": [{"id": "van", "depot": "D", "capacity": 10}]}"#;
        let msg = read_problem_json(roads, "p.json", Some(&dir)).unwrap_err().to_string();
        assert!(msg.contains("nodes.csv") && !msg.contains("hunter2"), "{msg}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A FIFO made with mkfifo(1), if the machine has it.
    fn fifo(dir: &Path) -> Option<PathBuf> {
        let path = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        made.is_ok_and(|s| s.success()).then_some(path)
    }

    #[test]
    fn devices_directories_and_fifos_are_refused_everywhere() {
        let dir = scratch("special");
        let mut specials = vec![PathBuf::from("/dev/zero"), PathBuf::from("/dev/urandom"), dir.clone()];
        specials.extend(fifo(&dir));
        let vrp = "NAME : t\nDIMENSION : 2\nCAPACITY : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
                   1 0 0\n2 3 4\nDEMAND_SECTION\n1 0\n2 2\nEOF\n";
        let problem = crate::io::read_vrp(vrp, "t.vrp").unwrap();
        let oracle = build_oracle(&problem).unwrap();
        let opts = ReadOptions::default();
        for special in &specials {
            let not_regular = |r: Result<()>, what: &str| match r {
                Err(Error::FileRefused {
                    reason: FileRefusal::NotRegular,
                    ..
                }) => {}
                other => panic!("{what} {}: {other:?}", special.display()),
            };
            not_regular(read_problem_file(special).map(drop), "problem");
            not_regular(crate::io::read_vrp_file(special).map(drop), "vrp");
            not_regular(crate::io::read_solomon_file(special).map(drop), "solomon");
            not_regular(
                crate::io::read_towns_csv_file(special, &Default::default()).map(drop),
                "towns CSV",
            );
            not_regular(
                crate::io::read_road_csv_files(special, special, &opts).map(drop),
                "road CSV",
            );
            not_regular(
                read_solution_file(special, &problem, oracle.as_ref()).map(drop),
                "solution",
            );
            #[cfg(feature = "osm")]
            not_regular(
                crate::io::osm::import_pbf(special, &Default::default()).map(drop),
                "PBF",
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn over_limit_files_are_refused_from_their_size() {
        let dir = scratch("large");
        // A sparse 64 GiB file: reading it whole would take minutes and
        // all the memory, refusing it takes a stat.
        let huge = dir.join("huge.json");
        std::fs::File::create(&huge).unwrap().set_len(64 << 30).unwrap();
        match read_problem_file(&huge) {
            Err(Error::FileRefused {
                reason: FileRefusal::TooLarge { size, limit },
                ..
            }) => assert_eq!((size, limit), (64 << 30, DEFAULT_MAX_INPUT_BYTES)),
            other => panic!("{other:?}"),
        }
        // The solution limit is smaller.
        let sol = dir.join("big.sol");
        std::fs::File::create(&sol)
            .unwrap()
            .set_len(DEFAULT_MAX_SOLUTION_BYTES + 1)
            .unwrap();
        let problem = crate::io::read_vrp(
            "NAME : t\nDIMENSION : 2\nCAPACITY : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
             1 0 0\n2 3 4\nDEMAND_SECTION\n1 0\n2 2\nEOF\n",
            "t.vrp",
        )
        .unwrap();
        let oracle = build_oracle(&problem).unwrap();
        assert!(matches!(
            read_solution_file(&sol, &problem, oracle.as_ref()),
            Err(Error::FileRefused {
                reason: FileRefusal::TooLarge { .. },
                ..
            })
        ));
        // Limits are configurable.
        let small = dir.join("small.csv");
        std::fs::write(&small, TOWNS).unwrap();
        assert!(read_input_text(&small, TOWNS.len() as u64).is_ok());
        assert!(matches!(
            read_input_text(&small, TOWNS.len() as u64 - 1),
            Err(Error::FileRefused {
                reason: FileRefusal::TooLarge { .. },
                ..
            })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_growing_past_its_limit_stops_at_the_limit() {
        let dir = scratch("grow");
        let path = dir.join("grows.txt");
        std::fs::write(&path, "12345").unwrap();
        let mut input = open_input(&path, 8).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"6789abcdef")
            .unwrap();
        let mut bytes = Vec::new();
        let err = input.read_to_end(&mut bytes).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(bytes.len() <= 9, "{}", bytes.len());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn one_giant_csv_line_is_refused() {
        let zeros = std::io::repeat(b'a').take(MAX_CSV_LINE_BYTES + 10);
        let err = crate::io::read_towns_csv(zeros, "towns.csv", &Default::default()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("towns.csv") && msg.contains("longer than"), "{msg}");
        // Long files of short lines are fine.
        let mut text = String::from("id,lat,lon\n");
        for i in 0..50_000 {
            text.push_str(&format!("t{i},50.0,11.6\n"));
        }
        let towns = crate::io::read_towns_csv(text.as_bytes(), "towns.csv", &Default::default()).unwrap();
        assert_eq!(towns.len(), 50_000);
    }
}
