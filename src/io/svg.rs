//! A solution drawn as an SVG map with [`plotters`].
//!
//! * one `<polyline>` per route, each in its own colour (hues spaced by the
//!   golden angle), following the roads when the problem has a road network
//!   (see [`route_polylines`]), straight between stops otherwise;
//! * stops as dots in their route's colour, depots as black squares,
//!   unassigned towns as dark red crosses;
//! * a title (the [`SvgOptions::title`], else the problem name) and a line
//!   with the cost, the vehicles used, the towns served and unassigned.
//!
//! Geographic coordinates use an equirectangular projection, `x = lon ·
//! cos(mean lat)`, `y = lat`, with the mean over all depots and towns; planar
//! coordinates are drawn as given. Both axes share one scale, so the map is
//! not distorted; there are no axes or labels.

use super::geometry::route_polylines;
use crate::distance::TravelOracle;
use crate::error::{Error, Result};
use crate::model::{Location, Problem};
use crate::solution::Solution;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::io::Write;
use std::path::Path;

/// Size and title of the drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgOptions {
    /// Width, pixels (within [`SvgOptions::MIN_SIZE`]..=[`SvgOptions::MAX_SIZE`]).
    pub width: u32,
    /// Height, pixels (same bounds).
    pub height: u32,
    /// Title; `None` uses the problem name.
    pub title: Option<String>,
}

impl SvgOptions {
    /// Smallest accepted width or height, pixels.
    pub const MIN_SIZE: u32 = 100;
    /// Largest accepted width or height, pixels.
    pub const MAX_SIZE: u32 = 20_000;
}

impl Default for SvgOptions {
    /// 1200 × 900 pixels, titled with the problem name.
    fn default() -> Self {
        SvgOptions {
            width: 1200,
            height: 900,
            title: None,
        }
    }
}

/// Height of the title band, pixels.
const TITLE_BAND: u32 = 64;
/// Margin around the map, pixels.
const MARGIN: u32 = 20;

/// Colour of route `i`: hues spaced by the golden angle, dark enough on white.
fn route_colour(i: usize) -> HSLColor {
    let hue = (i as f64 * 0.618_033_988_75 + 0.05).fract();
    HSLColor(hue, 0.8, 0.4)
}

fn drawing_error(e: impl std::fmt::Display) -> Error {
    Error::io("<svg>", std::io::Error::other(e.to_string()))
}

/// Maps problem coordinates to the drawing plane.
struct Projection {
    cos_lat: f64,
}

impl Projection {
    fn new(problem: &Problem) -> Self {
        let lats: Vec<f64> = problem
            .locations()
            .iter()
            .filter_map(|l| match *l {
                Location::Geo { lat, .. } => Some(lat),
                Location::Planar { .. } => None,
            })
            .collect();
        let cos_lat = if lats.is_empty() {
            1.0
        } else {
            (lats.iter().sum::<f64>() / lats.len() as f64)
                .to_radians()
                .cos()
                .max(1e-6)
        };
        Projection { cos_lat }
    }

    /// `geo` tells whether `(a, b)` is `(lon, lat)` or planar `(x, y)`.
    fn xy(&self, (a, b): (f64, f64), geo: bool) -> (f64, f64) {
        if geo { (a * self.cos_lat, b) } else { (a, b) }
    }

    fn location(&self, l: &Location) -> (f64, f64) {
        match *l {
            Location::Planar { x, y } => (x, y),
            Location::Geo { lon, lat } => (lon * self.cos_lat, lat),
        }
    }
}

/// Data ranges covering `points` with the aspect ratio of a `w × h` pixel
/// area, so that one unit is as long on both axes.
fn equal_aspect_ranges(points: impl Iterator<Item = (f64, f64)>, w: u32, h: u32) -> ((f64, f64), (f64, f64)) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for (x, y) in points.filter(|p| p.0.is_finite() && p.1.is_finite()) {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    // Room for the markers at the edges, and a non-empty extent.
    let pad = 0.03 * (x1 - x0).max(y1 - y0).max(1e-9);
    let (mut dx, mut dy) = (x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let (w, h) = (f64::from(w.max(1)), f64::from(h.max(1)));
    if dx / dy < w / h {
        dx = dy * w / h;
    } else {
        dy = dx * h / w;
    }
    ((cx - dx / 2.0, cx + dx / 2.0), (cy - dy / 2.0, cy + dy / 2.0))
}

fn check_size(value: u32, field: &'static str) -> Result<()> {
    if (SvgOptions::MIN_SIZE..=SvgOptions::MAX_SIZE).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            owner: "SVG options".into(),
            field,
            value: value.to_string(),
            reason: "must be within 100..=20000 pixels",
        })
    }
}

/// The stats line under the title.
fn stats_line(problem: &Problem, solution: &Solution) -> String {
    let t = &solution.totals;
    let geo = problem.depots.iter().any(|d| d.location.is_geo());
    let km = if geo {
        format!(" ({:.1} km)", t.distance as f64 / 1000.0)
    } else {
        String::new()
    };
    let reloads: usize = solution.routes.iter().map(|r| r.reloads.len()).sum();
    let picked: u64 = solution.routes.iter().map(|r| r.pickup).sum();
    let breaks: usize = solution.routes.iter().map(|r| r.breaks.len()).sum();
    let mut breaks = if breaks > 0 {
        format!(" | driver breaks {breaks}")
    } else {
        String::new()
    };
    if picked > 0 {
        breaks.push_str(&format!(" | picked up {picked}"));
    }
    if reloads > 0 {
        breaks.push_str(&format!(" | reloads {reloads}"));
    }
    format!(
        "cost {}{km} | vehicles {} | towns served {} | unassigned {}{breaks}",
        t.distance, t.vehicles_used, t.towns_served, t.towns_unassigned
    )
}

/// Draws everything onto `root`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    problem: &Problem,
    solution: &Solution,
    lines: &[Vec<(f64, f64)>],
    title: &str,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (title_area, map_area) = root.split_vertically(TITLE_BAND);
    title_area.draw(&Text::new(
        title.to_string(),
        (MARGIN as i32, 8),
        ("sans-serif", 26).into_font().color(&BLACK),
    ))?;
    title_area.draw(&Text::new(
        stats_line(problem, solution),
        (MARGIN as i32, 40),
        ("sans-serif", 16).into_font().color(&RGBColor(70, 70, 70)),
    ))?;

    let proj = Projection::new(problem);
    let geo: Vec<bool> = solution
        .routes
        .iter()
        .map(|r| {
            problem
                .depot_index(&r.depot)
                .is_some_and(|d| problem.depots[d].location.is_geo())
        })
        .collect();
    let projected: Vec<Vec<(f64, f64)>> = lines
        .iter()
        .zip(&geo)
        .map(|(line, &g)| line.iter().map(|&p| proj.xy(p, g)).collect())
        .collect();
    let locations: Vec<(f64, f64)> = problem.locations().iter().map(|l| proj.location(l)).collect();
    let (w, h) = map_area.dim_in_pixel();
    let (pw, ph) = (w.saturating_sub(2 * MARGIN), h.saturating_sub(2 * MARGIN));
    let (xr, yr) = equal_aspect_ranges(
        locations.iter().copied().chain(projected.iter().flatten().copied()),
        pw,
        ph,
    );
    let mut chart = ChartBuilder::on(&map_area)
        .margin(MARGIN)
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;

    for (i, line) in projected.iter().enumerate() {
        chart.draw_series(LineSeries::new(line.iter().copied(), route_colour(i).stroke_width(2)))?;
    }
    let towns = problem.town_indices();
    for (i, route) in solution.routes.iter().enumerate() {
        let colour = route_colour(i);
        let points = route
            .stops
            .iter()
            .filter_map(|s| towns.get(s.town.as_str()))
            .map(|&t| locations[problem.town_location(t)]);
        chart.draw_series(PointSeries::of_element(points, 4, colour.filled(), &|c, s, st| {
            EmptyElement::at(c) + Circle::new((0, 0), s, st)
        }))?;
    }
    let depots = locations[..problem.depots.len()].iter().copied();
    chart.draw_series(depots.map(|c| EmptyElement::at(c) + Rectangle::new([(-6, -6), (6, 6)], BLACK.filled())))?;
    let unassigned = solution
        .unassigned
        .iter()
        .filter_map(|u| towns.get(u.town.as_str()))
        .map(|&t| locations[problem.town_location(t)]);
    chart.draw_series(unassigned.map(|c| Cross::new(c, 6, RGBColor(150, 0, 0).stroke_width(3))))?;
    root.present()?;
    Ok(())
}

/// Renders `solution` as an SVG document (see the module docs).
///
/// Errors: [`Error::InvalidValue`] for a width or height outside
/// [`SvgOptions::MIN_SIZE`]..=[`SvgOptions::MAX_SIZE`];
/// [`Error::SolutionMismatch`] when a route names an unknown depot or town.
pub fn render_svg(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
    options: &SvgOptions,
) -> Result<String> {
    check_size(options.width, "width")?;
    check_size(options.height, "height")?;
    let lines = route_polylines(problem, oracle, solution)?;
    let title = options.title.clone().unwrap_or_else(|| problem.name.clone());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (options.width, options.height)).into_drawing_area();
        draw(&root, problem, solution, &lines, &title).map_err(drawing_error)?;
    }
    Ok(svg)
}

/// Writes the SVG map of `solution` to `writer` (see [`render_svg`]; I/O
/// errors are [`Error::Io`] with path `<svg>`).
pub fn write_svg(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
    mut writer: impl Write,
    options: &SvgOptions,
) -> Result<()> {
    let svg = render_svg(problem, oracle, solution, options)?;
    writer
        .write_all(svg.as_bytes())
        .and_then(|()| writer.flush())
        .map_err(|e| Error::io("<svg>", e))
}

/// Writes the SVG map to the file `path` (created or truncated); I/O errors
/// name `path`.
pub fn write_svg_file(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
    path: &Path,
    options: &SvgOptions,
) -> Result<()> {
    let svg = render_svg(problem, oracle, solution, options)?;
    std::fs::write(path, svg).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::distance::road_path::test_support::grid_problem;
    use crate::solver::{SolverConfig, solve};

    #[test]
    fn draws_one_polyline_per_route() -> Result<()> {
        let problem = grid_problem();
        let oracle = build_oracle(&problem)?;
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        let opts = SvgOptions {
            title: Some("Grid & <roads>".into()),
            ..SvgOptions::default()
        };
        let mut out = Vec::new();
        write_svg(&problem, oracle.as_ref(), &solution, &mut out, &opts)?;
        let svg = String::from_utf8(out).expect("UTF-8");
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), solution.routes.len());
        // Stops as circles, one depot square (plus the background), one cross (two lines).
        let stops: usize = solution.routes.iter().map(|r| r.stops.len()).sum();
        assert_eq!(svg.matches("<circle").count(), stops);
        assert_eq!(svg.matches("<line").count(), 2);
        // Text is escaped, the stats line is there.
        assert!(svg.contains("Grid &amp; &lt;roads&gt;"), "{svg}");
        assert!(svg.contains(&format!("cost {}", solution.totals.distance)));
        // Every polyline has more points than its route has stops (roads are followed).
        for (line, route) in svg.split("<polyline").skip(1).zip(&solution.routes) {
            let points = line
                .split("points=\"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or("");
            assert!(points.split_whitespace().count() > route.stops.len() + 2, "{points}");
        }
        Ok(())
    }

    #[test]
    fn rejects_bad_sizes_and_unwritable_paths() -> Result<()> {
        let problem = grid_problem();
        let oracle = build_oracle(&problem)?;
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        let tiny = SvgOptions {
            width: 0,
            ..SvgOptions::default()
        };
        assert!(matches!(
            render_svg(&problem, oracle.as_ref(), &solution, &tiny),
            Err(Error::InvalidValue { field: "width", .. })
        ));
        let r = write_svg_file(
            &problem,
            oracle.as_ref(),
            &solution,
            Path::new("/nonexistent/dir/map.svg"),
            &SvgOptions::default(),
        );
        assert!(matches!(r, Err(Error::Io { ref path, .. }) if path.ends_with("map.svg")));
        Ok(())
    }

    #[test]
    fn planar_problem_is_drawn_with_straight_lines() -> Result<()> {
        let problem = crate::distance::road_path::test_support::planar_pair(6.0);
        let oracle = build_oracle(&problem)?;
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        assert_eq!(solution.routes.len(), 2);
        let svg = render_svg(&problem, oracle.as_ref(), &solution, &SvgOptions::default())?;
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains(">\nplanar\n<"), "{svg}");
        assert!(!svg.contains(" km)"));
        Ok(())
    }

    #[test]
    fn equal_aspect_keeps_points_inside() {
        let ((x0, x1), (y0, y1)) = equal_aspect_ranges([(0.0, 0.0), (10.0, 1.0)].into_iter(), 400, 200);
        assert!(x0 < 0.0 && x1 > 10.0 && y0 < 0.0 && y1 > 1.0);
        assert!(((x1 - x0) / (y1 - y0) - 2.0).abs() < 1e-9);
        let ((x0, x1), (y0, y1)) = equal_aspect_ranges([(5.0, 5.0)].into_iter(), 100, 100);
        assert!(x0 < 5.0 && x1 > 5.0 && y0 < 5.0 && y1 > 5.0);
        let (xr, _) = equal_aspect_ranges(std::iter::empty(), 100, 100);
        assert!(xr.0 < xr.1);
    }
}
