//! Building the problem from what was read: the CVRP build (`EUC_2D` or
//! `EXPLICIT`) and the time-window (VRPTW) branch; PyVRP's dialect is in `fleet`.

use super::VRPLIB_SPEED_KMH;
use super::euclidean_rounding;
use super::lexicon::{EdgeWeightType, Sec};
use super::reader::Reader;
use super::rows::Columns;
use crate::error::Result;
use crate::io::vrptw::{self, VrptwInstance, VrptwNode};
use crate::model::{DepotSpec, Location, Problem, ProblemSpec, Rounding, TownSpec, TravelSpec, VehicleTypeSpec};

impl Reader<'_> {
    /// The depot nodes (`DEPOT_SECTION`, else node 1), and at least one
    /// node left to serve among the `n`.
    pub(super) fn depot_nodes(&self, n: usize) -> Result<Vec<usize>> {
        let depots: Vec<usize> = match &self.depots {
            None => vec![0],
            Some(d) if d.nodes.is_empty() => return Err(self.err(d.line, "DEPOT_SECTION lists no depot")),
            Some(d) => d.nodes.iter().map(|&(v, _)| v).collect(),
        };
        if depots.len() >= n {
            return Err(self.err_no_line("every node is a depot: no customer to serve"));
        }
        Ok(depots)
    }

    pub(super) fn finish(self, rounding: Option<Rounding>) -> Result<Problem> {
        let n = self.dimension.ok_or_else(|| self.err_no_line("DIMENSION missing"))?;
        if self.variant.is_some()
            || !self.vehicle_rows.is_empty()
            || self.max_duration.is_some()
            || self.backhauls.is_some()
            || self.prizes.is_some()
            || self.releases.is_some()
        {
            return self.finish_fleet(n, rounding);
        }
        let capacity = self.capacity.ok_or_else(|| self.err_no_line("CAPACITY missing"))?;
        let ew = self
            .ew_type
            .ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE missing"))?;
        let demand = self
            .complete(Sec::Demand, self.demand.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("DEMAND_SECTION missing"))?;
        let demand = self.one_dimension(&demand)?;
        let coords = self.complete(Sec::Coords, self.coords.as_ref(), n)?;
        let display = self.complete(Sec::Display, self.display.as_ref(), n)?;
        let xy = match ew {
            EdgeWeightType::Euc2d => {
                coords.ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE EUC_2D needs a NODE_COORD_SECTION"))?
            }
            EdgeWeightType::Explicit => coords.or(display).unwrap_or_else(|| vec![(0.0, 0.0); n]),
        };
        let depots = self.depot_nodes(n)?;
        if self.is_vrptw() {
            if let Some(r) = rounding.filter(|&r| r != Rounding::DimacsTenths) {
                return Err(self.err_no_line(format!(
                    "time-window (VRPTW) instances are read in DIMACS tenths only, not with rounding '{r}'"
                )));
            }
            return self.finish_vrptw(n, capacity, ew, &xy, &demand, &depots);
        }
        let rounding = match ew {
            EdgeWeightType::Euc2d => euclidean_rounding(rounding, &xy, self.distance.is_some(), self.src)?,
            EdgeWeightType::Explicit => match rounding {
                None | Some(Rounding::Nearest) => Rounding::Nearest,
                Some(r) => {
                    return Err(self.err_no_line(format!(
                        "rounding '{r}' applies to EUC_2D coordinates; EXPLICIT weights are rounded to the \
                         nearest integer"
                    )));
                }
            },
        };
        // Limits and service times in model units (the convention's scale).
        let limit = self.distance.map(|d| rounding.limit(d));
        let scale = rounding.scale() as f64;
        let matrix = match ew {
            EdgeWeightType::Euc2d => None,
            EdgeWeightType::Explicit => {
                let w = self
                    .weights
                    .as_ref()
                    .ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_SECTION"))?;
                if w.values.len() < w.expected {
                    return Err(self.err(
                        w.line,
                        format!(
                            "EDGE_WEIGHT_SECTION is truncated: {} of the {} entries that {} needs for DIMENSION {n}",
                            w.values.len(),
                            w.expected,
                            w.format.name()
                        ),
                    ));
                }
                Some(w.format.expand(n, &w.values))
            }
        };

        let mut is_depot = vec![false; n];
        for &d in &depots {
            is_depot[d] = true;
        }
        // Location order: depots (in DEPOT_SECTION order), then towns by node.
        let order: Vec<usize> = depots.iter().copied().chain((0..n).filter(|&v| !is_depot[v])).collect();
        let planar = |v: usize| Location::Planar { x: xy[v].0, y: xy[v].1 };
        let service = self.service_time.unwrap_or(0.0) * scale;
        let single = depots.len() == 1;
        let spec = ProblemSpec {
            towns_csv: None,
            state: None,
            horizon_days: None,
            max_snap_m: None,
            pickup_order: Default::default(),
            name: self.instance_name(),
            travel: Some(match matrix {
                None => TravelSpec::Euclidean,
                Some(m) => TravelSpec::Matrix {
                    distances: order
                        .iter()
                        .map(|&a| order.iter().map(|&b| Some(m[a * n + b])).collect())
                        .collect(),
                    durations: None,
                },
            }),
            depots: depots
                .iter()
                .map(|&d| DepotSpec {
                    id: (d + 1).to_string(),
                    name: String::new(),
                    location: planar(d),
                    hours: None,
                })
                .collect(),
            towns: order[depots.len()..]
                .iter()
                .map(|&v| TownSpec {
                    name: String::new(),
                    service_time_s: service,
                    ..TownSpec::new((v + 1).to_string(), planar(v), demand[v])
                })
                .collect(),
            fleet: depots
                .iter()
                .map(|&d| VehicleTypeSpec {
                    id: if single {
                        "vehicle".to_string()
                    } else {
                        format!("vehicle-{}", d + 1)
                    },
                    depot: (d + 1).to_string(),
                    count: self.vehicles,
                    capacity: capacity.into(),
                    max_distance: limit,
                    max_duration_s: limit.filter(|_| service > 0.0),
                    speed_kmh: VRPLIB_SPEED_KMH,
                    ..VehicleTypeSpec::default()
                })
                .collect(),
        };
        let mut problem = Problem::from_spec(spec)?;
        problem.rounding = rounding;
        Ok(problem)
    }

    /// The time-window branch of [`Reader::finish`] (module docs).
    fn finish_vrptw(
        &self,
        n: usize,
        capacity: f64,
        ew: EdgeWeightType,
        xy: &[(f64, f64)],
        demand: &[f64],
        depots: &[usize],
    ) -> Result<Problem> {
        if ew != EdgeWeightType::Euc2d {
            return Err(self.err_no_line("a time-window (VRPTW) instance needs EDGE_WEIGHT_TYPE : EUC_2D"));
        }
        if self.distance.is_some() {
            return Err(self.err_no_line(
                "DISTANCE is not supported with time windows (VRPTW): the horizon is the depot's time window",
            ));
        }
        if depots.len() != 1 {
            return Err(self.err(
                self.depots.as_ref().map_or(0, |d| d.line),
                format!(
                    "a time-window (VRPTW) instance needs exactly one depot, found {}",
                    depots.len()
                ),
            ));
        }
        let windows = self
            .complete(Sec::TimeWindows, self.windows.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("TYPE VRPTW needs a TIME_WINDOW_SECTION"))?;
        let services = self.complete(Sec::ServiceTimes, self.services.as_ref(), n)?;
        let service = self.service_time.unwrap_or(0.0);
        let node = |v: usize| VrptwNode {
            id: (v + 1).to_string(),
            x: xy[v].0,
            y: xy[v].1,
            demand: demand[v],
            ready: windows[v].0,
            due: windows[v].1,
            service: services.as_ref().map_or(service, |s| s[v]),
        };
        let depot = depots[0];
        let inst = VrptwInstance {
            name: self.instance_name(),
            depot: VrptwNode {
                service: 0.0,
                ..node(depot)
            },
            customers: (0..n).filter(|&v| v != depot).map(node).collect(),
            vehicles: self.vehicles.map(|v| v as u32),
            capacity,
        };
        vrptw::build_problem(inst, self.src)
    }

    /// The demand column of a file read with one capacity dimension; a file
    /// with several needs the per-vehicle capacities of PyVRP's dialect.
    fn one_dimension(&self, demand: &[Columns]) -> Result<Vec<f64>> {
        if let Some(first) = demand.first().filter(|c| c.len > 1) {
            return Err(self.err(
                self.demand.as_ref().map_or(0, |t| t.line),
                format!(
                    "DEMAND_SECTION has {} demand columns: several capacity dimensions are read in PyVRP's dialect, \
                     with VEHICLES and a CAPACITY_SECTION of as many columns per vehicle",
                    first.len
                ),
            ));
        }
        Ok(demand.iter().map(|c| c.values[0]).collect())
    }
}
