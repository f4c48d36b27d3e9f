//! The line-by-line parse: the reader's state, header lines and data
//! sections, each checked as it is read; completeness is checked when building.

use super::lexicon::{EdgeWeightType, FLEET_TYPES, KNOWN_KEYS, Sec, VehSec, WeightFormat};
use super::rows::{Columns, DepotRows, NodeRows, VehicleRows, Weights};
use super::{MAX_COORDINATE, MAX_EXPLICIT_NODES};
use crate::error::{Error, Result};
use crate::io::clip;
use crate::io::vrptw::{self, MAX_VRPTW_NODES};
use crate::model::MAX_TOWNS;
use crate::model::load::MAX_DIMENSIONS;
use std::collections::HashMap;

/// Line-by-line state of the reader.
pub(super) struct Reader<'a> {
    pub(super) src: &'a str,
    name: Option<String>,
    pub(super) dimension: Option<usize>,
    pub(super) capacity: Option<f64>,
    pub(super) ew_type: Option<EdgeWeightType>,
    ew_format: Option<(String, usize)>,
    pub(super) distance: Option<f64>,
    pub(super) service_time: Option<f64>,
    pub(super) vehicles: Option<i64>,
    pub(super) coords: Option<NodeRows<(f64, f64)>>,
    pub(super) display: Option<NodeRows<(f64, f64)>>,
    pub(super) demand: Option<NodeRows<Columns>>,
    pub(super) depots: Option<DepotRows>,
    pub(super) weights: Option<Weights>,
    pub(super) windows: Option<NodeRows<(f64, f64)>>,
    pub(super) services: Option<NodeRows<f64>>,
    pub(super) backhauls: Option<NodeRows<Columns>>,
    pub(super) prizes: Option<NodeRows<f64>>,
    pub(super) releases: Option<NodeRows<f64>>,
    /// Line of a `TYPE : VRPTW` header.
    vrptw_type: Option<usize>,
    /// `TYPE` of PyVRP's dialect (HFVRP, MDVRPTW, SDVRPTW).
    pub(super) variant: Option<String>,
    /// `VEHICLES_MAX_DURATION : value` (every vehicle).
    pub(super) max_duration: Option<f64>,
    /// Per-vehicle sections: (line of the keyword, rows of (vehicle, line, values)).
    pub(super) vehicle_rows: HashMap<VehSec, VehicleRows>,
    current: Option<Sec>,
}

fn starts_numeric(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
}

impl<'a> Reader<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Reader {
            src,
            name: None,
            dimension: None,
            capacity: None,
            ew_type: None,
            ew_format: None,
            distance: None,
            service_time: None,
            vehicles: None,
            coords: None,
            display: None,
            demand: None,
            depots: None,
            weights: None,
            windows: None,
            services: None,
            backhauls: None,
            prizes: None,
            releases: None,
            vrptw_type: None,
            variant: None,
            max_duration: None,
            vehicle_rows: HashMap::new(),
            current: None,
        }
    }

    /// `NAME`, or the source's name when the file has none.
    pub(super) fn instance_name(&self) -> String {
        self.name
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.src.to_string())
    }

    pub(super) fn err(&self, line: usize, msg: impl Into<String>) -> Error {
        Error::parse(self.src, Some(line), msg)
    }

    pub(super) fn err_no_line(&self, msg: impl Into<String>) -> Error {
        Error::parse(self.src, None, msg)
    }

    /// Handles one line; returns false at `EOF`.
    pub(super) fn line(&mut self, no: usize, raw: &str) -> Result<bool> {
        let line = raw.trim();
        if line.is_empty() {
            return Ok(true);
        }
        if starts_numeric(line) {
            return match self.current {
                Some(sec) => self.data(sec, no, line),
                None => Err(self.err(no, format!("data line '{}' outside of any section", clip(line)))),
            };
        }
        // A keyword line ends the current section.
        let prev = self.current;
        self.close_section()?;
        let kw_end = line.find(|c: char| c == ':' || c.is_whitespace()).unwrap_or(line.len());
        let key = line[..kw_end].to_ascii_uppercase();
        let rest = line[kw_end..].trim_start();
        let (had_colon, value) = match rest.strip_prefix(':') {
            Some(v) => (true, v.trim()),
            None => (false, rest),
        };
        if key == "EOF" {
            return Ok(false);
        }
        if let Some(sec) = Sec::from_keyword(&key) {
            self.open_section(sec, no)?;
            return Ok(true);
        }
        if key.ends_with("_SECTION") {
            return Err(self.err(no, format!("unsupported section {key}")));
        }
        if !had_colon && !KNOWN_KEYS.contains(&key.as_str()) {
            return Err(self.err(
                no,
                match prev.map(Sec::name) {
                    Some(s) => format!(
                        "expected a data row of {s} or a 'KEY : value' line, found '{}'",
                        clip(line)
                    ),
                    None => format!("expected a 'KEY : value' line, found '{}'", clip(line)),
                },
            ));
        }
        self.header(no, &key, value)?;
        Ok(true)
    }

    fn header(&mut self, no: usize, key: &str, value: &str) -> Result<()> {
        let needs_value = !matches!(key, "COMMENT" | "NAME") && KNOWN_KEYS.contains(&key);
        if needs_value && value.is_empty() {
            return Err(self.err(no, format!("{key} has no value")));
        }
        match key {
            "NAME" => self.name = Some(value.to_string()),
            "TYPE" => {
                let t = value.to_ascii_uppercase();
                if t == "VRPTW" || t == "CVRPTW" {
                    self.vrptw_type = Some(no);
                } else if FLEET_TYPES.contains(&t.as_str()) {
                    self.variant = Some(t);
                } else if t != "CVRP" && t != "ACVRP" {
                    return Err(self.err(
                        no,
                        format!(
                            "unsupported TYPE '{value}': CVRP (and ACVRP), VRPTW and PyVRP's {} can be read from \
                             VRPLIB files",
                            FLEET_TYPES.join(", ")
                        ),
                    ));
                }
            }
            "DIMENSION" => {
                if self.dimension.is_some() {
                    return Err(self.err(no, "DIMENSION given twice"));
                }
                let n: u64 = match value.parse::<u64>() {
                    Ok(n) => n,
                    Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
                    Err(_) => {
                        return Err(self.err(no, format!("DIMENSION '{}' is not a whole number", clip(value))));
                    }
                };
                let limit = MAX_TOWNS as u64 + 1;
                if n > limit {
                    return Err(Error::TooLarge {
                        what: "VRPLIB DIMENSION (number of nodes)",
                        value: n,
                        limit,
                    });
                }
                if n < 2 {
                    return Err(self.err(no, format!("DIMENSION {n} leaves no room for a depot and a customer")));
                }
                self.dimension = Some(n as usize);
            }
            "CAPACITY" => {
                let c = self.number(value, "CAPACITY", no)?;
                if c <= 0.0 {
                    return Err(self.err(no, format!("CAPACITY must be positive, got {value}")));
                }
                self.capacity = Some(c);
            }
            "EDGE_WEIGHT_TYPE" => {
                self.ew_type = Some(match value.to_ascii_uppercase().as_str() {
                    "EUC_2D" => EdgeWeightType::Euc2d,
                    "EXPLICIT" => EdgeWeightType::Explicit,
                    _ => {
                        return Err(self.err(
                            no,
                            format!("unsupported EDGE_WEIGHT_TYPE '{value}' (supported: EUC_2D, EXPLICIT)"),
                        ));
                    }
                });
            }
            "EDGE_WEIGHT_FORMAT" => self.ew_format = Some((value.to_ascii_uppercase(), no)),
            "DISTANCE" => {
                let d = self.number(value, "DISTANCE", no)?;
                if d <= 0.0 {
                    return Err(self.err(no, format!("DISTANCE must be positive, got {value}")));
                }
                self.distance = Some(d);
            }
            "SERVICE_TIME" => {
                let s = self.number(value, "SERVICE_TIME", no)?;
                if s < 0.0 {
                    return Err(self.err(no, format!("SERVICE_TIME must not be negative, got {value}")));
                }
                self.service_time = Some(s);
            }
            "VEHICLES_MAX_DURATION" => {
                let d = self.number(value, "VEHICLES_MAX_DURATION", no)?;
                if d <= 0.0 {
                    return Err(self.err(no, format!("VEHICLES_MAX_DURATION must be positive, got {value}")));
                }
                self.max_duration = Some(d);
            }
            "VEHICLES" if self.vehicles.is_some() => return Err(self.err(no, "VEHICLES given twice")),
            "VEHICLES" => match value.parse::<i64>() {
                Ok(v) if v >= 1 && v <= i64::from(u32::MAX) => self.vehicles = Some(v),
                _ => {
                    return Err(self.err(
                        no,
                        format!("VEHICLES must be a whole number >= 1, got '{}'", clip(value)),
                    ));
                }
            },
            _ => {} // COMMENT, NODE_COORD_TYPE, unknown keys: ignored.
        }
        self.check_explicit_size()
    }

    fn check_explicit_size(&self) -> Result<()> {
        if let (Some(n), Some(EdgeWeightType::Explicit)) = (self.dimension, self.ew_type)
            && n > MAX_EXPLICIT_NODES
        {
            return Err(Error::TooLarge {
                what: "VRPLIB DIMENSION with EDGE_WEIGHT_TYPE EXPLICIT",
                value: n as u64,
                limit: MAX_EXPLICIT_NODES as u64,
            });
        }
        if let Some(n) = self.dimension
            && self.is_vrptw()
            && n > MAX_VRPTW_NODES
        {
            return Err(Error::TooLarge {
                what: "VRPLIB DIMENSION of a time-window (VRPTW) instance",
                value: n as u64,
                limit: MAX_VRPTW_NODES as u64,
            });
        }
        Ok(())
    }

    /// True once the file says it has time windows.
    pub(super) fn is_vrptw(&self) -> bool {
        self.vrptw_type.is_some() || self.windows.is_some()
    }

    fn number(&self, tok: &str, what: &str, no: usize) -> Result<f64> {
        match tok.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.err(no, format!("{what}: '{}' is not a number", clip(tok)))),
        }
    }

    /// A planar coordinate: finite and within ±[`MAX_COORDINATE`].
    fn coordinate(&self, tok: &str, sec: Sec, axis: &str, no: usize) -> Result<f64> {
        let v = self.number(tok, &format!("{} {axis} coordinate", sec.name()), no)?;
        if v.abs() > MAX_COORDINATE {
            return Err(self.err(
                no,
                format!("{}: {axis} coordinate {} is outside -1e9..=1e9", sec.name(), clip(tok)),
            ));
        }
        Ok(v)
    }

    /// Parses a 1-based node id into a 0-based index.
    fn node(&self, tok: &str, sec: Sec, no: usize) -> Result<usize> {
        let n = self.dimension.unwrap_or(0);
        match tok.parse::<u64>() {
            Ok(id) if id >= 1 && id <= n as u64 => Ok(id as usize - 1),
            Ok(id) => Err(self.err(
                no,
                format!("{}: node id {id} is out of range 1..={n} (DIMENSION {n})", sec.name()),
            )),
            Err(_) => Err(self.err(
                no,
                format!("{}: node id '{}' is not a positive whole number", sec.name(), clip(tok)),
            )),
        }
    }

    fn open_section(&mut self, sec: Sec, no: usize) -> Result<()> {
        if self.dimension.is_none() {
            return Err(self.err(no, format!("{} before DIMENSION", sec.name())));
        }
        let given = match sec {
            Sec::Coords => self.coords.is_some(),
            Sec::Display => self.display.is_some(),
            Sec::Demand => self.demand.is_some(),
            Sec::Depot => self.depots.is_some(),
            Sec::Weights => self.weights.is_some(),
            Sec::TimeWindows => self.windows.is_some(),
            Sec::ServiceTimes => self.services.is_some(),
            Sec::Backhaul => self.backhauls.is_some(),
            Sec::Prize => self.prizes.is_some(),
            Sec::Release => self.releases.is_some(),
            Sec::Vehicle(v) => self.vehicle_rows.contains_key(&v),
        };
        if given {
            return Err(self.err(no, format!("{} given twice", sec.name())));
        }
        match sec {
            Sec::Coords => {
                self.coords = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Display => {
                self.display = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Demand => {
                self.demand = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Depot => {
                self.depots = Some(DepotRows {
                    line: no,
                    nodes: Vec::new(),
                    first_line: HashMap::new(),
                    terminated: false,
                })
            }
            Sec::Weights => {
                if self.ew_type != Some(EdgeWeightType::Explicit) {
                    return Err(self.err(no, "EDGE_WEIGHT_SECTION needs EDGE_WEIGHT_TYPE : EXPLICIT before it"));
                }
                let Some((fmt, fline)) = self.ew_format.clone() else {
                    return Err(self.err(no, "EDGE_WEIGHT_SECTION needs an EDGE_WEIGHT_FORMAT before it"));
                };
                let Some(format) = WeightFormat::parse(&fmt) else {
                    return Err(self.err(
                        fline,
                        format!(
                            "unsupported EDGE_WEIGHT_FORMAT '{fmt}' (supported: FULL_MATRIX, LOWER_ROW, LOWER_DIAG_ROW, \
                             UPPER_ROW, UPPER_DIAG_ROW, LOWER_COL, LOWER_DIAG_COL, UPPER_COL, UPPER_DIAG_COL)"
                        ),
                    ));
                };
                self.check_explicit_size()?;
                let n = self.dimension.unwrap_or(0);
                self.weights = Some(Weights {
                    line: no,
                    format,
                    expected: format.count(n),
                    values: Vec::new(),
                });
            }
            Sec::TimeWindows => {
                self.windows = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                });
                self.check_explicit_size()?;
            }
            Sec::ServiceTimes => {
                self.services = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Backhaul => {
                self.backhauls = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                })
            }
            Sec::Prize | Sec::Release => {
                let rows = Some(NodeRows {
                    line: no,
                    rows: Vec::new(),
                });
                match sec {
                    Sec::Prize => self.prizes = rows,
                    _ => self.releases = rows,
                }
            }
            Sec::Vehicle(v) => {
                if self.vehicles.is_none() {
                    return Err(self.err(no, format!("{} before VEHICLES", v.name())));
                }
                self.vehicle_rows.insert(v, (no, Vec::new()));
            }
        }
        self.current = Some(sec);
        Ok(())
    }

    fn data(&mut self, sec: Sec, no: usize, line: &str) -> Result<bool> {
        let n = self.dimension.unwrap_or(0);
        let toks: Vec<&str> = line.split_whitespace().collect();
        match sec {
            Sec::Coords | Sec::Display => {
                if toks.len() != 3 {
                    return Err(self.err(
                        no,
                        format!("{}: expected 'id x y', found {} fields", sec.name(), toks.len()),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let x = self.coordinate(toks[1], sec, "x", no)?;
                let y = self.coordinate(toks[2], sec, "y", no)?;
                if sec == Sec::Coords
                    && self.is_vrptw()
                    && let Some(why) = vrptw::coordinate_problem("x", x).or_else(|| vrptw::coordinate_problem("y", y))
                {
                    return Err(self.err(no, format!("{}: node {}: {why}", sec.name(), id + 1)));
                }
                let table = if sec == Sec::Coords {
                    &mut self.coords
                } else {
                    &mut self.display
                };
                if let Some(t) = table {
                    t.room_for_row(n, sec.name(), self.src, no)?;
                    t.rows.push((id, no, (x, y)));
                }
            }
            Sec::Demand | Sec::Backhaul => {
                let what = if sec == Sec::Demand { "demand" } else { "pickup" };
                let (id, amounts) = self.amount_row(sec, what, &toks, no)?;
                let table = if sec == Sec::Demand {
                    &mut self.demand
                } else {
                    &mut self.backhauls
                };
                if let Some(t) = table {
                    t.room_for_row(n, sec.name(), self.src, no)?;
                    if let Some(&(_, first_line, first)) = t.rows.first()
                        && first.len != amounts.len
                    {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!(
                                "{}: {} {what} column{} here, {} on line {first_line}",
                                sec.name(),
                                amounts.len,
                                if amounts.len == 1 { "" } else { "s" },
                                first.len
                            ),
                        ));
                    }
                    t.rows.push((id, no, amounts));
                }
            }
            Sec::Depot => {
                for tok in toks {
                    if self.depots.as_ref().is_some_and(|d| d.terminated) {
                        return Err(self.err(no, format!("DEPOT_SECTION: '{}' after the closing -1", clip(tok))));
                    }
                    if tok == "-1" {
                        if let Some(d) = &mut self.depots {
                            d.terminated = true;
                        }
                        continue;
                    }
                    let id = self.node(tok, sec, no)?;
                    if let Some(d) = &mut self.depots {
                        if let Some(&first) = d.first_line.get(&id) {
                            return Err(Error::parse(
                                self.src,
                                Some(no),
                                format!("DEPOT_SECTION: depot {} listed twice (first on line {first})", id + 1),
                            ));
                        }
                        d.nodes.push((id, no));
                        d.first_line.insert(id, no);
                    }
                }
            }
            Sec::TimeWindows => {
                if toks.len() != 3 {
                    return Err(self.err(
                        no,
                        format!(
                            "TIME_WINDOW_SECTION: expected 'id ready due', found {} fields",
                            toks.len()
                        ),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let ready = self.number(toks[1], "TIME_WINDOW_SECTION ready time", no)?;
                let due = self.number(toks[2], "TIME_WINDOW_SECTION due date", no)?;
                if let Some(why) = vrptw::window_problem(ready, due) {
                    return Err(self.err(no, format!("TIME_WINDOW_SECTION: node {}: {why}", id + 1)));
                }
                if let Some(t) = &mut self.windows {
                    t.room_for_row(n, "TIME_WINDOW_SECTION", self.src, no)?;
                    t.rows.push((id, no, (ready, due)));
                }
            }
            Sec::ServiceTimes => {
                if toks.len() != 2 {
                    return Err(self.err(
                        no,
                        format!(
                            "SERVICE_TIME_SECTION: expected 'id service', found {} fields",
                            toks.len()
                        ),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let s = self.number(toks[1], "SERVICE_TIME_SECTION service time", no)?;
                if let Some(why) = vrptw::time_problem("service time", s) {
                    return Err(self.err(no, format!("SERVICE_TIME_SECTION: node {}: {why}", id + 1)));
                }
                if let Some(t) = &mut self.services {
                    t.room_for_row(n, "SERVICE_TIME_SECTION", self.src, no)?;
                    t.rows.push((id, no, s));
                }
            }
            Sec::Prize | Sec::Release => {
                let what = if sec == Sec::Prize { "prize" } else { "release time" };
                if toks.len() != 2 {
                    return Err(self.err(
                        no,
                        format!("{}: expected 'id {what}', found {} fields", sec.name(), toks.len()),
                    ));
                }
                let id = self.node(toks[0], sec, no)?;
                let x = self.number(toks[1], what, no)?;
                if x < 0.0 {
                    return Err(self.err(
                        no,
                        format!("{}: negative {what} {} for node {}", sec.name(), toks[1], id + 1),
                    ));
                }
                if sec == Sec::Release
                    && let Some(why) = vrptw::time_problem("release time", x)
                {
                    return Err(self.err(no, format!("{}: node {}: {why}", sec.name(), id + 1)));
                }
                let table = if sec == Sec::Prize {
                    &mut self.prizes
                } else {
                    &mut self.releases
                };
                if let Some(t) = table {
                    t.room_for_row(n, sec.name(), self.src, no)?;
                    t.rows.push((id, no, x));
                }
            }
            Sec::Vehicle(vs) => {
                let k = self.vehicles.unwrap_or(0) as usize;
                let vehicle = match toks[0].parse::<usize>() {
                    Ok(v) if (1..=k).contains(&v) => v - 1,
                    _ => {
                        return Err(self.err(
                            no,
                            format!(
                                "{}: vehicle '{}' is not within 1..={k} (VEHICLES)",
                                vs.name(),
                                clip(toks[0])
                            ),
                        ));
                    }
                };
                let list = matches!(vs, VehSec::AllowedClients | VehSec::ReloadDepot);
                // A capacity has a column per dimension.
                let most = if vs == VehSec::Capacity { MAX_DIMENSIONS } else { 1 };
                if !list && !(2..=1 + most).contains(&toks.len()) {
                    let expected = if most > 1 {
                        format!("'vehicle capacity…' (1 to {most} columns)")
                    } else {
                        "'vehicle value'".to_string()
                    };
                    return Err(self.err(
                        no,
                        format!("{}: expected {expected}, found {} fields", vs.name(), toks.len()),
                    ));
                }
                let mut values = Vec::with_capacity(toks.len() - 1);
                for tok in &toks[1..] {
                    let x = self.number(tok, vs.name(), no)?;
                    if x < 0.0 || (list && (x.fract() != 0.0 || x < 1.0 || x > n as f64)) {
                        return Err(self.err(no, format!("{}: bad value '{}'", vs.name(), clip(tok))));
                    }
                    values.push(x);
                }
                if let Some((_, rows)) = self.vehicle_rows.get_mut(&vs) {
                    if rows.len() >= k {
                        return Err(Error::parse(
                            self.src,
                            Some(no),
                            format!("{} has more rows than VEHICLES {k}", vs.name()),
                        ));
                    }
                    rows.push((vehicle, no, values));
                }
            }
            Sec::Weights => {
                for tok in toks {
                    let v = self.number(tok, "EDGE_WEIGHT_SECTION entry", no)?;
                    if v < 0.0 {
                        return Err(self.err(no, format!("EDGE_WEIGHT_SECTION: negative weight {tok}")));
                    }
                    if let Some(w) = &mut self.weights {
                        if w.values.len() >= w.expected {
                            return Err(Error::parse(
                                self.src,
                                Some(no),
                                format!(
                                    "EDGE_WEIGHT_SECTION has more than the {} entries that {} needs for DIMENSION {n}",
                                    w.expected,
                                    w.format.name()
                                ),
                            ));
                        }
                        w.values.push(v);
                    }
                }
            }
        }
        Ok(true)
    }

    /// A row `id amount…` of `DEMAND_SECTION` or `BACKHAUL_SECTION`: one
    /// non-negative column per capacity dimension (1 to [`MAX_DIMENSIONS`]).
    fn amount_row(&self, sec: Sec, what: &str, toks: &[&str], no: usize) -> Result<(usize, Columns)> {
        if !(2..=1 + MAX_DIMENSIONS).contains(&toks.len()) {
            return Err(self.err(
                no,
                format!(
                    "{}: expected 'id {what}' with 1 to {MAX_DIMENSIONS} {what} columns (one per capacity \
                     dimension), found {} fields",
                    sec.name(),
                    toks.len()
                ),
            ));
        }
        let id = self.node(toks[0], sec, no)?;
        let mut amounts = Columns::one(0.0);
        amounts.len = toks.len() - 1;
        for (d, tok) in toks[1..].iter().enumerate() {
            let x = self.number(tok, what, no)?;
            if x < 0.0 {
                let message = if sec == Sec::Demand {
                    format!("negative demand {tok} for node {}", id + 1)
                } else {
                    format!("{}: negative {what} {tok} for node {}", sec.name(), id + 1)
                };
                return Err(self.err(no, message));
            }
            amounts.values[d] = x;
        }
        Ok((id, amounts))
    }

    /// Ends the current section (nothing to check here: completeness is
    /// checked once at the end, where every section is known).
    pub(super) fn close_section(&mut self) -> Result<()> {
        self.current = None;
        Ok(())
    }

    /// Checks a per-node section is complete and unique; returns values by node.
    pub(super) fn complete<T: Copy>(&self, sec: Sec, table: Option<&NodeRows<T>>, n: usize) -> Result<Option<Vec<T>>> {
        let Some(t) = table else { return Ok(None) };
        let mut rows: Vec<&(usize, usize, T)> = t.rows.iter().collect();
        rows.sort_by_key(|r| (r.0, r.1));
        for w in rows.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(self.err(
                    w[1].1,
                    format!(
                        "{}: node {} given twice (first on line {})",
                        sec.name(),
                        w[0].0 + 1,
                        w[0].1
                    ),
                ));
            }
        }
        if rows.len() < n {
            let missing = rows
                .iter()
                .enumerate()
                .find(|(i, r)| r.0 != *i)
                .map_or(rows.len(), |(i, _)| i);
            return Err(self.err(
                t.line,
                format!(
                    "{} is truncated: {} of DIMENSION {n} nodes given (node {} missing)",
                    sec.name(),
                    rows.len(),
                    missing + 1
                ),
            ));
        }
        Ok(Some(rows.iter().map(|r| r.2).collect()))
    }
}
