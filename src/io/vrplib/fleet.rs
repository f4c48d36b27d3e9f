//! PyVRP's VRPLIB dialect: per-vehicle sections read into vehicles, runs
//! of identical vehicles grouped into vehicle types.

use super::lexicon::{EdgeWeightType, Sec, VehSec};
use super::reader::Reader;
use super::rows::Columns;
use super::{MAX_FLEET_VEHICLES, VRPLIB_SPEED_KMH};
use crate::error::{Error, Result};
use crate::model::{
    Amount, DepotSpec, Location, PickupOrder, Problem, ProblemSpec, Rounding, TimeSpec, TownSpec, TravelSpec,
    VehicleTypeSpec,
};

/// One vehicle of a PyVRP-dialect file, before vehicles are grouped into types.
#[derive(Debug, Clone, PartialEq)]
struct FleetVehicle {
    depot: usize,
    capacity: Columns,
    fixed_cost: f64,
    unit_distance_cost: f64,
    max_duration: Option<f64>,
    /// Allowed client nodes (0-based), sorted; `None` = every client.
    allowed: Option<Vec<usize>>,
    /// Reload depots (0-based nodes), sorted.
    reloads: Vec<usize>,
    /// Most reloads per route.
    max_reloads: Option<u32>,
}

impl Reader<'_> {
    /// Values per vehicle of a per-vehicle section: every vehicle exactly once.
    fn per_vehicle(&self, vs: VehSec, k: usize) -> Result<Option<Vec<Vec<f64>>>> {
        let Some((line, rows)) = self.vehicle_rows.get(&vs) else {
            return Ok(None);
        };
        let mut out: Vec<Option<Vec<f64>>> = vec![None; k];
        for (v, no, values) in rows {
            if out[*v].is_some() {
                return Err(self.err(*no, format!("{}: vehicle {} given twice", vs.name(), v + 1)));
            }
            out[*v] = Some(values.clone());
        }
        match out.iter().position(Option::is_none) {
            Some(v) => Err(self.err(
                *line,
                format!("{} is truncated: vehicle {} of VEHICLES {k} missing", vs.name(), v + 1),
            )),
            None => Ok(Some(out.into_iter().flatten().collect())),
        }
    }

    /// PyVRP's dialect (HFVRP, MDVRPTW, SDVRPTW): one entry per vehicle in
    /// the per-vehicle sections; runs of consecutive identical vehicles
    /// become one vehicle type with that count, so vehicle `k` of the file
    /// is vehicle `k − (vehicles of earlier types)` of its type (module docs).
    pub(super) fn finish_fleet(&self, n: usize, rounding: Option<Rounding>) -> Result<Problem> {
        // Without VEHICLES the fleet is unlimited (PyVRP: one vehicle per
        // client); per-vehicle sections need the count.
        let unlimited = self.vehicles.is_none();
        if unlimited && !self.vehicle_rows.is_empty() {
            return Err(self.err_no_line("per-vehicle sections need VEHICLES"));
        }
        let k = self.vehicles.unwrap_or(1) as usize;
        if k > MAX_FLEET_VEHICLES {
            return Err(Error::TooLarge {
                what: "VRPLIB VEHICLES of a per-vehicle instance",
                value: k as u64,
                limit: MAX_FLEET_VEHICLES as u64,
            });
        }
        if self.ew_type != Some(EdgeWeightType::Euc2d) {
            return Err(self.err_no_line("a per-vehicle (PyVRP dialect) instance needs EDGE_WEIGHT_TYPE : EUC_2D"));
        }
        if self.distance.is_some() {
            return Err(self.err_no_line("DISTANCE is not read in per-vehicle instances (use VEHICLES_MAX_DURATION)"));
        }
        let demand = self
            .complete(Sec::Demand, self.demand.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("DEMAND_SECTION missing"))?;
        // One column per capacity dimension, as many in every section.
        let dims = demand.first().map_or(1, |c| c.len);
        let backhauls = self.complete(Sec::Backhaul, self.backhauls.as_ref(), n)?;
        if let Some(b) = backhauls.as_ref().and_then(|b| b.first())
            && b.len != dims
        {
            return Err(self.err(
                self.backhauls.as_ref().map_or(0, |t| t.line),
                format!(
                    "BACKHAUL_SECTION has {} pickup columns, DEMAND_SECTION {dims}: one per capacity dimension in both",
                    b.len
                ),
            ));
        }
        let xy = self
            .complete(Sec::Coords, self.coords.as_ref(), n)?
            .ok_or_else(|| self.err_no_line("EDGE_WEIGHT_TYPE EUC_2D needs a NODE_COORD_SECTION"))?;
        let depots = self.depot_nodes(n)?;
        let windows = self.complete(Sec::TimeWindows, self.windows.as_ref(), n)?;
        let services = self.complete(Sec::ServiceTimes, self.services.as_ref(), n)?;
        // As PyVRP's families: DIMACS tenths with time windows, else nint.
        let rounding = rounding.unwrap_or(if windows.is_some() {
            Rounding::DimacsTenths
        } else {
            Rounding::Nearest
        });
        if rounding == Rounding::Exact {
            return Err(self.err_no_line("per-vehicle instances are read with rounding nearest or dimacs"));
        }
        let scale = rounding.scale() as f64;
        let mut is_depot = vec![false; n];
        for &d in &depots {
            is_depot[d] = true;
        }

        let capacities = self.per_vehicle(VehSec::Capacity, k)?;
        let fixed = self.per_vehicle(VehSec::FixedCost, k)?;
        let unit = self.per_vehicle(VehSec::UnitDistanceCost, k)?;
        let depot_of = self.per_vehicle(VehSec::Depot, k)?;
        let durations = self.per_vehicle(VehSec::MaxDuration, k)?;
        let allowed = self.per_vehicle(VehSec::AllowedClients, k)?;
        let reload_rows = self.per_vehicle(VehSec::ReloadDepot, k)?;
        let max_reloads = self.per_vehicle(VehSec::MaxReloads, k)?;
        let line_of = |vs: VehSec| self.vehicle_rows.get(&vs).map_or(0, |(l, _)| *l);
        let mut vehicles = Vec::with_capacity(k);
        for v in 0..k {
            let capacity = match (&capacities, self.capacity) {
                (Some(c), _) => {
                    if c[v].len() != dims {
                        return Err(self.err(
                            line_of(VehSec::Capacity),
                            format!(
                                "CAPACITY_SECTION: vehicle {} has {} capacity columns, DEMAND_SECTION {dims}: one per \
                                 capacity dimension in both",
                                v + 1,
                                c[v].len()
                            ),
                        ));
                    }
                    let mut columns = Columns::one(0.0);
                    columns.len = dims;
                    columns.values[..dims].copy_from_slice(&c[v]);
                    columns
                }
                (None, Some(_)) if dims > 1 => {
                    return Err(self.err_no_line(format!(
                        "CAPACITY gives one capacity dimension, DEMAND_SECTION {dims}: give VEHICLES and a \
                         CAPACITY_SECTION with {dims} columns per vehicle"
                    )));
                }
                (None, Some(c)) => Columns::one(c),
                (None, None) => return Err(self.err_no_line("CAPACITY or CAPACITY_SECTION missing")),
            };
            if capacity.values[0] <= 0.0 {
                return Err(self.err(
                    line_of(VehSec::Capacity),
                    format!(
                        "CAPACITY_SECTION: vehicle {} has capacity {}",
                        v + 1,
                        capacity.values[0]
                    ),
                ));
            }
            let depot = match &depot_of {
                None => depots[0],
                Some(d) => {
                    let node = d[v][0] as usize;
                    if d[v][0].fract() != 0.0 || node < 1 || node > n || !is_depot[node - 1] {
                        return Err(self.err(
                            line_of(VehSec::Depot),
                            format!("VEHICLES_DEPOT_SECTION: vehicle {}: {} is not a depot", v + 1, d[v][0]),
                        ));
                    }
                    node - 1
                }
            };
            let allowed = match &allowed {
                None => None,
                Some(a) => {
                    let mut nodes: Vec<usize> = a[v].iter().map(|&x| x as usize - 1).collect();
                    if let Some(&bad) = nodes.iter().find(|&&x| is_depot[x]) {
                        return Err(self.err(
                            line_of(VehSec::AllowedClients),
                            format!(
                                "VEHICLES_ALLOWED_CLIENTS_SECTION: vehicle {}: node {} is a depot",
                                v + 1,
                                bad + 1
                            ),
                        ));
                    }
                    nodes.sort_unstable();
                    nodes.dedup();
                    Some(nodes)
                }
            };
            let mut reloads = Vec::new();
            for &x in reload_rows.as_ref().map_or(&[][..], |r| &r[v][..]) {
                let node = x as usize;
                if x.fract() != 0.0 || node < 1 || node > n || !is_depot[node - 1] {
                    return Err(self.err(
                        line_of(VehSec::ReloadDepot),
                        format!("VEHICLES_RELOAD_DEPOT_SECTION: vehicle {}: {x} is not a depot", v + 1),
                    ));
                }
                reloads.push(node - 1);
            }
            reloads.sort_unstable();
            reloads.dedup();
            let max_reloads = match max_reloads.as_ref().map(|m| m[v][0]) {
                None => None,
                Some(m) if m.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&m) => Some(m as u32),
                Some(m) => {
                    return Err(self.err(
                        line_of(VehSec::MaxReloads),
                        format!("VEHICLES_MAX_RELOADS_SECTION: vehicle {}: {m} is not a count", v + 1),
                    ));
                }
            };
            vehicles.push(FleetVehicle {
                reloads,
                max_reloads,
                depot,
                capacity,
                fixed_cost: fixed.as_ref().map_or(0.0, |f| f[v][0]),
                unit_distance_cost: unit.as_ref().map_or(1.0, |u| u[v][0]),
                max_duration: durations.as_ref().map(|d| d[v][0]).or(self.max_duration),
                allowed,
            });
        }
        // Runs of identical vehicles → types.
        let mut runs: Vec<(usize, usize)> = Vec::new(); // (first vehicle, count)
        for v in 0..k {
            match runs.last_mut() {
                Some((first, count)) if vehicles[*first] == vehicles[v] => *count += 1,
                _ => runs.push((v, 1)),
            }
        }
        let type_id = |first: usize, count: usize| {
            if count == 1 {
                format!("v{}", first + 1)
            } else {
                format!("v{}-{}", first + 1, first + count)
            }
        };
        // With fixed costs or unit distance costs other than 1 the objective
        // is money, fixed + unit cost × distance (PyVRP's); else distance.
        let money = vehicles
            .iter()
            .any(|v| v.unit_distance_cost != 1.0 || v.fixed_cost > 0.0);
        let fleet: Vec<VehicleTypeSpec> = runs
            .iter()
            .map(|&(first, count)| {
                let v = &vehicles[first];
                VehicleTypeSpec {
                    id: if unlimited { "v".into() } else { type_id(first, count) },
                    depot: (v.depot + 1).to_string(),
                    count: (!unlimited).then_some(count as i64),
                    capacity: v.capacity.amount(),
                    max_duration_s: v.max_duration.map(|d| rounding.limit(d)),
                    speed_kmh: VRPLIB_SPEED_KMH,
                    fixed_cost: v.fixed_cost,
                    // Money per model kilometre: model distances are `scale`
                    // times the instance's.
                    cost_per_km: if money {
                        v.unit_distance_cost * 1000.0 / scale
                    } else {
                        0.0
                    },
                    reload_depots: v.reloads.iter().map(|&d| (d + 1).to_string()).collect(),
                    max_reloads: v.max_reloads,
                    ..VehicleTypeSpec::default()
                }
            })
            .collect();
        let allowed_types = |node: usize| -> Option<Vec<String>> {
            if runs.iter().all(|&(f, _)| vehicles[f].allowed.is_none()) {
                return None;
            }
            Some(
                runs.iter()
                    .filter(|&&(f, _)| {
                        vehicles[f]
                            .allowed
                            .as_ref()
                            .is_none_or(|a| a.binary_search(&node).is_ok())
                    })
                    .map(|&(f, c)| type_id(f, c))
                    .collect(),
            )
        };
        let order: Vec<usize> = (0..n).filter(|&v| !is_depot[v]).collect();
        let prizes = self.complete(Sec::Prize, self.prizes.as_ref(), n)?;
        let releases = self.complete(Sec::Release, self.releases.as_ref(), n)?;
        // PyVRP: a client with a zero prize is required; prizes are in the
        // objective's units (distance, scaled like it, or money).
        let prize_unit = if money { 1.0 } else { scale };
        let mut towns = Vec::with_capacity(order.len());
        for &v in &order {
            let vehicle_types = allowed_types(v);
            if vehicle_types.as_ref().is_some_and(|t| t.is_empty()) {
                return Err(self.err(
                    line_of(VehSec::AllowedClients),
                    format!(
                        "VEHICLES_ALLOWED_CLIENTS_SECTION: client {} is allowed on no vehicle",
                        v + 1
                    ),
                ));
            }
            let service = services.as_ref().map_or(self.service_time.unwrap_or(0.0), |s| s[v]);
            towns.push(TownSpec {
                id: (v + 1).to_string(),
                name: String::new(),
                location: Location::Planar { x: xy[v].0, y: xy[v].1 },
                demand: demand[v].amount(),
                service_time_s: service * scale,
                pickup: backhauls.as_ref().map_or(Amount::One(0.0), |b| b[v].amount()),
                prize: prizes.as_ref().map(|p| p[v] * prize_unit).filter(|&p| p > 0.0),
                priority: None,
                release: releases.as_ref().map(|r| TimeSpec::Seconds(r[v] * scale)),
                windows: windows
                    .as_ref()
                    .map(|w| vec![[TimeSpec::Seconds(w[v].0 * scale), TimeSpec::Seconds(w[v].1 * scale)]])
                    .unwrap_or_default(),
                drops: None,
                days: None,
                patterns: None,
                vehicle_types,
            });
        }
        let spec = ProblemSpec {
            towns_csv: None,
            state: None,
            horizon_days: None,
            max_snap_m: None,
            // PyVRP's VRPB: linehauls before backhauls (its other types with
            // a BACKHAUL_SECTION mix pickups and deliveries).
            pickup_order: if self.variant.as_deref() == Some("VRPB") {
                PickupOrder::DeliveriesFirst
            } else {
                PickupOrder::Any
            },
            name: self.instance_name(),
            travel: Some(TravelSpec::Euclidean),
            depots: depots
                .iter()
                .map(|&d| DepotSpec {
                    id: (d + 1).to_string(),
                    name: String::new(),
                    location: Location::Planar { x: xy[d].0, y: xy[d].1 },
                    hours: windows
                        .as_ref()
                        .map(|w| [TimeSpec::Seconds(w[d].0 * scale), TimeSpec::Seconds(w[d].1 * scale)]),
                })
                .collect(),
            towns,
            fleet,
        };
        let mut problem = Problem::from_spec(spec)?;
        problem.rounding = rounding;
        Ok(problem)
    }
}
