//! Towns (or shops) from a spreadsheet CSV, for example the GeoNames files
//! of `shared/data/towns` (`id,name,lat,lon,admin1,admin2,population,...`).
//!
//! The first row names the columns, matched case-insensitively:
//!
//! | field | columns accepted | required |
//! |---|---|---|
//! | id | `id` | yes |
//! | latitude | `lat`, `latitude` | yes |
//! | longitude | `lon`, `longitude`, `lng` | yes |
//! | name | `name` | no (empty) |
//! | demand | `demand` | no ([`TownCsvOptions::default_demand`]) |
//! | service time | `service_time_s` (seconds) or `service_min` (minutes) | no ([`TownCsvOptions::default_service_time_s`]) |
//!
//! Other columns are ignored; an empty demand or service cell takes the
//! default. Locations are geographic (WGS84 degrees). Demands and service
//! times must be within `0..=u32::MAX` (units, seconds), the model's range.

use super::files::{LineBound, ReadOptions, open_input};
use crate::error::{Error, Result};
use crate::model::{Location, MAX_TOWNS, TownSpec};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Defaults for cells the CSV does not give.
#[derive(Debug, Clone, PartialEq)]
pub struct TownCsvOptions {
    /// Demand when the `demand` column is absent or a cell is empty.
    pub default_demand: f64,
    /// Service time in seconds when no service column is present or a cell is empty.
    pub default_service_time_s: f64,
}

impl Default for TownCsvOptions {
    /// One unit of demand per town, no service time.
    fn default() -> Self {
        TownCsvOptions {
            default_demand: 1.0,
            default_service_time_s: 0.0,
        }
    }
}

/// Column positions of the fields we read.
struct Columns {
    id: usize,
    lat: (usize, String),
    lon: (usize, String),
    name: Option<usize>,
    demand: Option<(usize, String)>,
    /// Column and factor to seconds.
    service: Option<(usize, String, f64)>,
}

/// Reads towns from CSV text. Errors are [`Error::Parse`] naming
/// `source_name`, the 1-based line and the column (never a cell's text:
/// the file may be one a problem references): missing required columns,
/// empty or duplicate ids, unparsable or out-of-range numbers, lines longer
/// than [`MAX_CSV_LINE_BYTES`](super::files::MAX_CSV_LINE_BYTES).
///
/// ```
/// use backroads::io::csv_towns::{TownCsvOptions, read_towns_csv};
/// let csv = "ID,Name,Latitude,Lng,population\n7,Ames,42.03,-93.62,66000\n";
/// let towns = read_towns_csv(csv.as_bytes(), "towns.csv", &TownCsvOptions::default())?;
/// assert_eq!(towns[0].name, "Ames");
/// assert_eq!(towns[0].demand, 1.0.into());
/// # Ok::<(), backroads::Error>(())
/// ```
pub fn read_towns_csv(reader: impl Read, source_name: &str, opts: &TownCsvOptions) -> Result<Vec<TownSpec>> {
    for (field, v) in [
        ("default_demand", opts.default_demand),
        ("default_service_time_s", opts.default_service_time_s),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::InvalidValue {
                owner: "TownCsvOptions".into(),
                field,
                value: v.to_string(),
                reason: "must be a finite number >= 0",
            });
        }
    }
    let perr = |line: Option<usize>, msg: String| Error::parse(source_name, line, msg);
    // The csv crate's own line numbers skip blank lines, so lines are
    // counted here from byte offsets.
    let mut bytes = Vec::new();
    let mut reader = LineBound::new(reader);
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| perr(None, format!("cannot read: {e}")))?;
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // A record's position is where the previous one ended: skip blank lines.
    let line_at = |pos: &csv::Position| {
        let start = usize::try_from(pos.byte()).unwrap_or(usize::MAX).min(bytes.len());
        let skip = bytes[start..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        newlines.partition_point(|&nl| nl < start + skip) + 1
    };
    let csv_err = |e: csv::Error| {
        let line = e.position().map(line_at);
        let msg = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "invalid UTF-8 (save the file as UTF-8)".to_string(),
            _ => format!("CSV: {e}"),
        };
        perr(line, msg)
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(csv_err)?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { h };
            h.trim().to_ascii_lowercase()
        })
        .collect();
    let cols = find_columns(&headers).map_err(|m| perr(Some(1), m))?;

    let mut towns = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for record in rdr.records() {
        let record = record.map_err(csv_err)?;
        let line = record.position().map(line_at);
        let no = line.unwrap_or(0);
        let cell = |i: usize| record.get(i).unwrap_or("");
        if record.iter().all(str::is_empty) {
            continue;
        }
        if towns.len() >= MAX_TOWNS {
            return Err(Error::TooLarge {
                what: "number of towns in the CSV",
                value: towns.len() as u64 + 1,
                limit: MAX_TOWNS as u64,
            });
        }
        let id = cell(cols.id);
        if id.is_empty() {
            return Err(perr(line, "column 'id' is empty".into()));
        }
        if let Some(first) = first_line.get(id) {
            return Err(perr(line, format!("column 'id': duplicate id (first on line {first})")));
        }
        let number = |(i, name): &(usize, String), lo: f64, hi: f64| -> Result<f64> {
            let text = cell(*i);
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Ok(v),
                Ok(_) => Err(perr(line, format!("column '{name}': out of range {lo}..={hi}"))),
                Err(_) if text.is_empty() => Err(perr(line, format!("column '{name}' is empty"))),
                Err(_) => Err(perr(line, format!("column '{name}': not a number"))),
            }
        };
        let lat = number(&cols.lat, -90.0, 90.0)?;
        let lon = number(&cols.lon, -180.0, 180.0)?;
        // Demands and service times are whole u32 units in the model.
        let max = f64::from(u32::MAX);
        let demand = match &cols.demand {
            Some(c) if !cell(c.0).is_empty() => number(c, 0.0, max)?,
            _ => opts.default_demand,
        };
        let service_time_s = match &cols.service {
            Some((i, name, factor)) if !cell(*i).is_empty() => {
                number(&(*i, name.clone()), 0.0, (max / factor).floor())? * factor
            }
            _ => opts.default_service_time_s,
        };
        first_line.insert(id.to_string(), no);
        towns.push(TownSpec {
            name: cols.name.map(|i| cell(i).to_string()).unwrap_or_default(),
            service_time_s,
            ..TownSpec::new(id, Location::Geo { lon, lat }, demand)
        });
    }
    if towns.is_empty() {
        return Err(perr(None, "no town rows after the header".into()));
    }
    Ok(towns)
}

/// Reads towns from a CSV file of at most [`ReadOptions::max_input_bytes`]
/// (default limits; see [`read_towns_csv`]).
pub fn read_towns_csv_file(path: &Path, opts: &TownCsvOptions) -> Result<Vec<TownSpec>> {
    let file = open_input(path, ReadOptions::default().max_input_bytes)?;
    read_towns_csv(std::io::BufReader::new(file), &path.display().to_string(), opts)
}

fn find_columns(headers: &[String]) -> std::result::Result<Columns, String> {
    let find = |field: &str, aliases: &[&str]| -> std::result::Result<Option<(usize, String)>, String> {
        let hits: Vec<(usize, &String)> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| aliases.contains(&h.as_str()))
            .collect();
        match hits.as_slice() {
            [] => Ok(None),
            [(i, h)] => Ok(Some((*i, (*h).clone()))),
            [(_, a), (_, b), ..] => Err(format!("columns '{a}' and '{b}' both give the {field}")),
        }
    };
    let required = |field: &str, aliases: &[&str]| -> std::result::Result<(usize, String), String> {
        find(field, aliases)?.ok_or_else(|| {
            format!(
                "missing required column for the {field} (one of: {}) among the header's {} columns",
                aliases.join(", "),
                headers.len()
            )
        })
    };
    let id = required("id", &["id"])?.0;
    let lat = required("latitude", &["lat", "latitude"])?;
    let lon = required("longitude", &["lon", "longitude", "lng"])?;
    let name = find("name", &["name"])?.map(|c| c.0);
    let demand = find("demand", &["demand"])?;
    let service = find("service time", &["service_time_s", "service_min"])?
        .map(|(i, h)| if h == "service_min" { (i, h, 60.0) } else { (i, h, 1.0) });
    Ok(Columns {
        id,
        lat,
        lon,
        name,
        demand,
        service,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<TownSpec>> {
        read_towns_csv(text.as_bytes(), "t.csv", &TownCsvOptions::default())
    }

    fn parse_err(text: &str) -> (Option<usize>, String) {
        match read(text) {
            Err(Error::Parse {
                source_name,
                line,
                message,
            }) => {
                assert_eq!(source_name, "t.csv");
                (line, message)
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn geonames_layout_with_defaults() {
        let text = "id,name,lat,lon,admin1,admin2,population,admin2_src\r\n\
                    4831842,Gladbrook,42.18776,-92.71520,Iowa,Grundy County,890,nearest_guess\r\n\
                    4846339,Adair,41.50054,-94.64359,Iowa,,728,none\r\n";
        let opts = TownCsvOptions {
            default_demand: 3.0,
            default_service_time_s: 600.0,
        };
        let towns = read_towns_csv(text.as_bytes(), "t.csv", &opts).unwrap();
        assert_eq!(towns.len(), 2);
        assert_eq!(towns[0].id, "4831842");
        assert_eq!(towns[0].name, "Gladbrook");
        assert_eq!(
            towns[0].location,
            Location::Geo {
                lon: -92.7152,
                lat: 42.18776
            }
        );
        assert_eq!((towns[1].demand.clone(), towns[1].service_time_s), (3.0.into(), 600.0));
    }

    #[test]
    fn aliases_case_and_optional_columns() {
        let text = "\u{feff}ID , Latitude,LNG,Demand,Service_Min,extra\n a ,10,20,5,2,x\nb,-10.5,-20,,,\n";
        let towns = read(text).unwrap();
        assert_eq!(towns[0].id, "a");
        assert_eq!(towns[0].location, Location::Geo { lon: 20.0, lat: 10.0 });
        assert_eq!((towns[0].demand.clone(), towns[0].service_time_s), (5.0.into(), 120.0));
        assert_eq!((towns[1].demand.clone(), towns[1].service_time_s), (1.0.into(), 0.0));
        assert_eq!(towns[1].name, "");
        let towns = read("id,lat,longitude,service_time_s\nq,1,2,30\n").unwrap();
        assert_eq!(towns[0].service_time_s, 30.0);
    }

    #[test]
    fn missing_columns() {
        let (line, msg) = parse_err("name,lat,lon\nx,1,2\n");
        assert_eq!(line, Some(1));
        assert!(msg.contains("column for the id"), "{msg}");
        let (_, msg) = parse_err("id,lat\nx,1\n");
        assert!(msg.contains("longitude") && msg.contains("lng"), "{msg}");
        let (_, msg) = parse_err("id,lat,latitude,lon\nx,1,1,2\n");
        assert!(msg.contains("'lat' and 'latitude'"), "{msg}");
        let (_, msg) = parse_err("id,lat,lon,service_min,service_time_s\nx,1,2,3,4\n");
        assert!(msg.contains("service time"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon\n");
        assert_eq!(line, None);
        assert!(msg.contains("no town rows"), "{msg}");
        let (line, msg) = parse_err("");
        assert_eq!(line, Some(1));
        assert!(msg.contains("missing required column"), "{msg}");
    }

    #[test]
    fn bad_values_name_line_and_column() {
        let (line, msg) = parse_err("id,lat,lon\na,1,2\nb,north,2\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("column 'lat'") && !msg.contains("north"), "{msg}");
        let (line, msg) = parse_err("id,latitude,lon\na,1,2\n\nb,91,2\n");
        assert_eq!(line, Some(4));
        assert!(
            msg.contains("column 'latitude'") && msg.contains("out of range"),
            "{msg}"
        );
        let (line, msg) = parse_err("id,lat,lng\na,1,200\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("column 'lng'"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon,demand\na,1,2,-4\n");
        assert_eq!(line, Some(2));
        assert!(
            msg.contains("column 'demand'") && msg.contains("out of range") && !msg.contains("-4"),
            "{msg}"
        );
        // Beyond the model's u32 range: refused here, with the line.
        let (line, msg) = parse_err("id,lat,lon,demand\na,1,2,3\nb,1,2,1e300\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("column 'demand'") && msg.contains("out of range"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon,service_min\na,1,2,1e307\n");
        assert_eq!(line, Some(2));
        assert!(
            msg.contains("column 'service_min'") && msg.contains("out of range"),
            "{msg}"
        );
        let towns = read("id,lat,lon,service_min,demand\na,1,2,71582788,4294967295\n").unwrap();
        assert_eq!(
            (towns[0].service_time_s, towns[0].demand.clone()),
            (71582788.0 * 60.0, 4294967295.0.into())
        );
        let (line, msg) = parse_err("id,lat,lon,demand\na,1,2,lots\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("column 'demand'") && !msg.contains("lots"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon\na,1,NaN\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("column 'lon'"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon\na,1\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("column 'lon' is empty"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon\n,1,2\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("'id' is empty"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon\na,1,2\nb,1,2\na,3,4\n");
        assert_eq!(line, Some(4));
        assert!(msg.contains("duplicate id (first on line 2)"), "{msg}");
        let (line, msg) = parse_err("id,lat,lon\n\"a,1,2\n");
        assert!(line.is_some() || msg.contains("CSV"), "{line:?} {msg}");
    }

    #[test]
    fn bad_options_are_refused() {
        let opts = TownCsvOptions {
            default_demand: -1.0,
            default_service_time_s: 0.0,
        };
        assert!(matches!(
            read_towns_csv("id,lat,lon\na,1,2\n".as_bytes(), "t", &opts),
            Err(Error::InvalidValue {
                field: "default_demand",
                ..
            })
        ));
    }

    #[test]
    fn reads_the_shared_geonames_files_when_present() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/towns");
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "csv") {
                let towns = read_towns_csv_file(&p, &TownCsvOptions::default()).unwrap();
                assert!(towns.len() > 100, "{}", p.display());
            }
        }
    }
}
