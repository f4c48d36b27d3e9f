//! Building a cluster: the single-profile and whole-fleet constructors,
//! the pricing path their rules choose, unrouted penalties and the cached
//! distance and time matrices.

use super::travel::pack;
use super::{Cluster, DENSE_LIMIT, Limits, MONEY_SCALE, NOWHERE, Pricing, RouteType};
use crate::distance::{TravelOracle, is_unreachable};
use crate::model::{Problem, VehicleType, Window, round_to_int};
use rayon::prelude::*;

/// The per-node arrays of a cluster: node 0 and nodes after the towns are
/// depots (no demand, service or windows), nodes `1..=m` the towns.
struct NodeArrays {
    towns: Vec<usize>,
    demand: Vec<i64>,
    pickup: Vec<i64>,
    service: Vec<i64>,
    windowed: bool,
    win_at: Vec<u32>,
    windows: Vec<Window>,
}

impl NodeArrays {
    /// `hours`: the hours of every depot of the cluster, node 0's first;
    /// `breaks`: some route type has break rules (routes are then timed
    /// stop by stop, as with opening hours).
    fn new(problem: &Problem, towns: &[usize], hours: &[Window], breaks: bool) -> NodeArrays {
        let extra = hours.len().saturating_sub(1);
        let per_town = |f: &dyn Fn(usize) -> i64| -> Vec<i64> {
            std::iter::once(0)
                .chain(towns.iter().map(|&t| f(t)))
                .chain(std::iter::repeat_n(0, extra))
                .collect()
        };
        let mut node_towns = vec![usize::MAX];
        node_towns.extend_from_slice(towns);
        node_towns.extend(std::iter::repeat_n(usize::MAX, extra));
        let windowed = breaks
            || hours.iter().any(|h| !h.is_always())
            || towns.iter().any(|&t| !problem.towns[t].windows.is_empty());
        let (mut win_at, mut windows) = (Vec::new(), Vec::new());
        if windowed {
            win_at.extend([0, 0]);
            for &t in towns {
                windows.extend_from_slice(&problem.towns[t].windows);
                win_at.push(windows.len() as u32);
            }
            win_at.extend(std::iter::repeat_n(windows.len() as u32, extra));
        }
        NodeArrays {
            towns: node_towns,
            demand: per_town(&|t| i64::from(problem.towns[t].demand)),
            pickup: per_town(&|t| i64::from(problem.towns[t].pickup)),
            service: per_town(&|t| i64::from(problem.towns[t].service_time)),
            windowed,
            win_at,
            windows,
        }
    }
}

impl<'a> Cluster<'a> {
    /// A cluster of no node with every rule off: the constructors below
    /// state what their cluster holds and take the rest from here.
    fn blank(problem: &Problem, oracle: &'a dyn TravelOracle) -> Cluster<'a> {
        Cluster {
            oracle,
            profiles: Vec::new(),
            locations: Vec::new(),
            towns: Vec::new(),
            demand: Vec::new(),
            pickup: Vec::new(),
            pickups: false,
            extra_dims: 0,
            extra_stop: Vec::new(),
            first_stop: Vec::new(),
            pickup_order: problem.pickup_order,
            home: Vec::new(),
            homes: 0,
            change_penalty: 0,
            first_reload: usize::MAX,
            reload_type: Vec::new(),
            release: Vec::new(),
            multi_trip: false,
            optional: Vec::new(),
            service: Vec::new(),
            limits: Limits::default(),
            fixed_cost: 0,
            types: Vec::new(),
            num_towns: 0,
            hours: Vec::new(),
            allowed: Vec::new(),
            words: 0,
            uniform: true,
            time_cost: false,
            fixed_costs: false,
            pricing: Pricing::General,
            multi_depot: false,
            penalty: Vec::new(),
            timed: false,
            windowed: false,
            type_breaks: Vec::new(),
            depot_hours: Window::ALWAYS,
            win_at: Vec::new(),
            windows: Vec::new(),
            symmetric: oracle.is_symmetric(),
            dense_dist: None,
            dense_times: Vec::new(),
            euclidean: None,
        }
    }

    /// Builds the cluster of `depot` with `towns` (problem town indices),
    /// solved with the profile of vehicle type `vehicle_type` (index in
    /// [`Problem::fleet`]).
    pub fn new(
        problem: &'a Problem,
        oracle: &'a dyn TravelOracle,
        depot: usize,
        towns: &[usize],
        vehicle_type: usize,
    ) -> Cluster<'a> {
        Self::with_dense_limit(problem, oracle, depot, towns, vehicle_type, DENSE_LIMIT)
    }

    /// Like [`Cluster::new`], caching dense matrices only when the cluster
    /// has at most `dense_limit` nodes (0 = always compute on demand).
    pub fn with_dense_limit(
        problem: &'a Problem,
        oracle: &'a dyn TravelOracle,
        depot: usize,
        towns: &[usize],
        vehicle_type: usize,
        dense_limit: usize,
    ) -> Cluster<'a> {
        let vehicle = &problem.fleet[vehicle_type];
        let mut locations = vec![depot];
        locations.extend(towns.iter().map(|&t| problem.town_location(t)));
        // Routes here go back to `depot` (a type that ends elsewhere gets
        // its real ends in the fleet search; this is its construction).
        let depot_hours = vehicle.within_shift(problem.depots[depot].hours);
        let NodeArrays {
            towns: node_towns,
            demand,
            pickup,
            service,
            windowed,
            win_at,
            windows,
        } = NodeArrays::new(problem, towns, &[depot_hours], !vehicle.breaks.is_empty());
        let timed = vehicle.max_duration.is_some() || windowed;
        // Read off the cluster's own towns: O(cluster), not O(problem).
        let pickups = pickup.iter().any(|&p| p > 0);
        let c = Cluster {
            oracle,
            profiles: vec![vehicle],
            locations,
            towns: node_towns,
            demand,
            pickups,
            pickup: if pickups { pickup } else { Vec::new() },
            service,
            limits: Limits::of(vehicle),
            fixed_cost: vehicle.fixed_cost,
            types: vec![RouteType {
                vehicle_type,
                depot: 0,
                end: 0,
                limits: Limits::of(vehicle),
                fixed: vehicle.fixed_cost,
                per_distance: 1,
                per_second: 0,
                per_overtime_second: 0,
                regular: Limits::UNLIMITED,
                count: u32::MAX,
                max_reloads: 0,
                profile: 0,
            }],
            num_towns: towns.len(),
            hours: vec![depot_hours],
            allowed: single_type_allowed(problem, towns, vehicle_type),
            words: usize::from(towns.iter().any(|&t| !problem.towns[t].allows_type(vehicle_type))),
            uniform: true,
            time_cost: false,
            fixed_costs: vehicle.fixed_cost != 0,
            multi_depot: false,
            timed,
            windowed,
            type_breaks: vec![&vehicle.breaks],
            depot_hours,
            win_at,
            windows,
            ..Cluster::blank(problem, oracle)
        };
        let mut c = c.with_matrices(dense_limit);
        c.with_extra_dimensions(problem);
        c.class_towns_by_every_dimension(problem);
        c.pricing = c.pricing_rules();
        c
    }

    /// The whole fleet of `problem` over `towns`: every vehicle type is a
    /// [`RouteType`] from its own depot, with its count as a hard limit.
    /// Types of different speeds get their own time profiles.
    pub fn fleet(
        problem: &'a Problem,
        oracle: &'a dyn TravelOracle,
        towns: &[usize],
        dense_limit: usize,
    ) -> Option<Cluster<'a>> {
        let fleet = &problem.fleet;
        fleet.first()?;
        // One profile per distinct speed, in first-use order.
        let mut profiles: Vec<&VehicleType> = Vec::new();
        let profile_of: Vec<u32> = fleet
            .iter()
            .map(|v| {
                let same = profiles.iter().position(|p| p.speed_kmh == v.speed_kmh);
                same.unwrap_or_else(|| {
                    profiles.push(v);
                    profiles.len() - 1
                }) as u32
            })
            .collect();
        // Depot nodes in first-use order, one per place and working hours:
        // where each type starts, then where it ends (the same node for
        // routes back home; [`NOWHERE`] for open routes). Types with
        // staggered shifts get a node each, so every rule keyed on a route's
        // depot node sees its hours. Node 0 is where the first type starts.
        let m = towns.len();
        let mut depots: Vec<(usize, Window)> = Vec::new();
        let mut node_of = |place: usize, k: usize| -> u32 {
            let key = (place, problem.working_hours(k));
            let j = depots.iter().position(|&x| x == key).unwrap_or_else(|| {
                depots.push(key);
                depots.len() - 1
            });
            if j == 0 { 0 } else { (m + j) as u32 }
        };
        let start_nodes: Vec<u32> = (0..fleet.len()).map(|k| node_of(fleet[k].depot, k)).collect();
        let end_nodes: Vec<u32> = (0..fleet.len())
            .map(|k| node_of(fleet[k].end_depot().unwrap_or(NOWHERE), k))
            .collect();
        let mut locations = vec![depots[0].0];
        locations.extend(towns.iter().map(|&t| problem.town_location(t)));
        locations.extend(depots[1..].iter().map(|&(d, _)| d));
        let extra = depots.len() - 1;
        let mut hours: Vec<Window> = depots.iter().map(|&(_, h)| h).collect();
        // Reload nodes: per type that may reload, per reload depot, enough
        // copies for every trip it could need beyond the first.
        let first_reload = m + 1 + extra;
        let mut reload_type = Vec::new();
        let mut reload_service = Vec::new();
        let total =
            |f: fn(&crate::model::Town) -> u32| -> i64 { towns.iter().map(|&t| i64::from(f(&problem.towns[t]))).sum() };
        let goods = total(|t| t.demand).max(total(|t| t.pickup));
        // All reload nodes together stay within a small multiple of the
        // towns, shared between the types and depots that reload: the node
        // matrices grow with their square.
        let reload_pairs: usize = fleet.iter().map(|v| v.reload_depots.len()).sum();
        let share = (2 * m + 16) / reload_pairs.max(1);
        for (k, v) in fleet.iter().enumerate() {
            if v.reload_depots.is_empty() {
                continue;
            }
            let trips = (goods / i64::from(v.capacity.max(1)) + 1) as usize;
            let vehicles = v.count.map_or(trips, |c| c as usize);
            let per_depot = (trips + vehicles)
                .min(m.max(1))
                .min(v.max_reloads.map_or(usize::MAX, |r| r as usize * vehicles))
                .min(share.max(1));
            for &d in &v.reload_depots {
                for _ in 0..per_depot {
                    locations.push(d);
                    hours.push(problem.depots[d].hours);
                    reload_type.push(k as u32);
                    reload_service.push(v.reload_time);
                }
            }
        }
        let NodeArrays {
            towns: node_towns,
            demand,
            pickup,
            service,
            windowed,
            win_at,
            windows,
        } = NodeArrays::new(problem, towns, &hours, problem.has_breaks());
        let mut service = service;
        for (i, &r) in reload_service.iter().enumerate() {
            service[first_reload + i] = r;
        }
        let release: Vec<i64> = if problem.has_release_times() {
            let mut r = vec![0; locations.len()];
            for (i, &t) in towns.iter().enumerate() {
                r[i + 1] = problem.towns[t].release;
            }
            r
        } else {
            Vec::new()
        };
        // Trips are timed stop by stop (the stored fast paths assume one trip).
        let multi_trip = !reload_type.is_empty() || !release.is_empty();
        let (windowed, win_at) = if multi_trip && !windowed {
            (true, vec![0; locations.len() + 1])
        } else {
            (windowed, win_at)
        };
        let money = problem.has_running_costs();
        let types: Vec<RouteType> = fleet
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let (fixed, per_distance, per_second, per_overtime_second) = if money {
                    (
                        round_to_int(v.fixed_cost as f64 * MONEY_SCALE),
                        round_to_int(v.cost_per_km * MONEY_SCALE / 1000.0),
                        round_to_int(v.cost_per_hour * MONEY_SCALE / 3600.0),
                        round_to_int(v.cost_per_overtime_hour * MONEY_SCALE / 3600.0),
                    )
                } else {
                    (v.fixed_cost, 1, 0, 0)
                };
                RouteType {
                    vehicle_type: k,
                    depot: start_nodes[k],
                    end: end_nodes[k],
                    limits: Limits::of(v),
                    fixed,
                    per_distance,
                    per_second,
                    per_overtime_second,
                    regular: v.max_duration.map_or(Limits::UNLIMITED, |d| d.min(Limits::UNLIMITED)),
                    count: v.count.unwrap_or(u32::MAX),
                    profile: profile_of[k],
                    max_reloads: if v.reload_depots.is_empty() {
                        0
                    } else {
                        v.max_reloads.unwrap_or(u32::MAX)
                    },
                }
            })
            .collect();
        let timed = windowed
            || types
                .iter()
                .any(|t| t.limits.max_duration < Limits::UNLIMITED || t.per_second > 0);
        let restricted = towns.iter().any(|&t| !problem.towns[t].allowed_types.is_empty())
            || (!reload_type.is_empty() && types.len() > 1);
        let words = if restricted { types.len().div_ceil(64) } else { 0 };
        let mut allowed = Vec::new();
        if restricted {
            allowed = vec![u64::MAX; locations.len() * words];
            for (i, &k) in reload_type.iter().enumerate() {
                let row = &mut allowed[(first_reload + i) * words..(first_reload + i + 1) * words];
                row.iter_mut().for_each(|w| *w = 0);
                row[k as usize / 64] |= 1 << (k % 64);
            }
            for (i, &t) in towns.iter().enumerate() {
                let row = &mut allowed[(i + 1) * words..(i + 2) * words];
                row.iter_mut().for_each(|w| *w = 0);
                for k in 0..types.len() {
                    if problem.towns[t].allows_type(k) {
                        row[k / 64] |= 1 << (k % 64);
                    }
                }
            }
        }
        let uniform = depots.len() == 1
            && types
                .iter()
                .all(|t| t.per_distance == 1 && t.per_second == 0 && t.per_overtime_second == 0);
        // Read off the cluster's own towns, as for one profile.
        let pickups = pickup.iter().any(|&p| p > 0);
        let c = Cluster {
            oracle,
            profiles,
            locations,
            towns: node_towns,
            demand,
            pickups,
            pickup: if pickups { pickup } else { Vec::new() },
            service,
            limits: types[0].limits,
            fixed_cost: types[0].fixed,
            time_cost: types.iter().any(|t| t.per_second > 0),
            fixed_costs: types.iter().any(|t| t.fixed != 0),
            types,
            num_towns: m,
            depot_hours: hours[0],
            hours,
            allowed,
            words,
            uniform,
            multi_depot: depots.len() > 1,
            timed,
            windowed,
            type_breaks: fleet.iter().map(|v| v.breaks.as_slice()).collect(),
            win_at,
            windows,
            ..Cluster::blank(problem, oracle)
        };
        let mut c = c.with_matrices(dense_limit);
        c.first_reload = first_reload;
        c.reload_type = reload_type;
        c.release = release;
        c.multi_trip = multi_trip;
        // Reloads split the load into trips: loads follow profiles then.
        c.pickups |= !c.reload_type.is_empty();
        c.with_extra_dimensions(problem);
        c.class_towns_by_every_dimension(problem);
        c.penalty = c.unrouted_penalties(problem);
        if problem.has_optional_towns() {
            // An optional town left out costs its prize, in objective units.
            let unit = if money { MONEY_SCALE } else { 1.0 };
            c.optional = vec![false; c.num_nodes()];
            for v in 1..=m {
                if let Some(prize) = problem.towns[c.towns[v]].prize {
                    c.optional[v] = true;
                    c.penalty[v] = round_to_int(prize * unit).min(1 << 50);
                }
            }
        }
        c.pricing = c.pricing_rules();
        Some(c)
    }

    /// The pricing path for this cluster's rules (once all are set).
    fn pricing_rules(&self) -> Pricing {
        let plain_cost = match self.types.as_slice() {
            [t] => t.per_distance == 1 && t.per_second == 0,
            _ => false,
        };
        let plain_rules = !self.timed
            && !self.windowed
            && !self.multi_trip
            && !self.pickups
            && !self.multi_depot
            && !self.restricted()
            && self.first_reload >= self.num_nodes()
            && self.types.iter().all(|t| t.limits.max_stops == Limits::UNLIMITED);
        if plain_cost && plain_rules {
            Pricing::Plain
        } else {
            Pricing::General
        }
    }

    /// Leaving a town out must cost more than any route could save by it
    /// (twice the dearest round trip of any type plus its fixed cost), so
    /// a plan that serves one town more is always the better one: towns
    /// served first, then cost. A town of priority `p` costs `1 + p` such
    /// units. Capped so a pool's sum stays in range.
    fn unrouted_penalties(&self, problem: &Problem) -> Vec<i64> {
        let m = self.num_towns;
        let worst = (1..=m)
            .into_par_iter()
            .map(|v| {
                self.types
                    .iter()
                    .map(|t| {
                        let (d, e) = (t.depot as usize, t.end as usize);
                        let (dist, time) = (
                            self.dist(d, v).saturating_add(self.dist(v, e)),
                            self.time_in(t.profile, d, v).saturating_add(self.time_in(t.profile, v, e)),
                        );
                        if is_unreachable(dist) {
                            return 0;
                        }
                        t.cost(dist.min(1 << 40), time.min(1 << 40) + self.service[v], true)
                    })
                    .max()
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0);
        let unit = worst.saturating_mul(2).saturating_add(1).min(1 << 40);
        (0..self.num_nodes())
            .map(|v| {
                if (1..=m).contains(&v) {
                    let priority = problem.towns[self.towns[v]].priority.min(crate::model::MAX_PRIORITY);
                    unit.saturating_mul(1 + i64::from(priority))
                } else {
                    0
                }
            })
            .collect()
    }

    fn with_matrices(mut self, dense_limit: usize) -> Cluster<'a> {
        let (oracle, timed) = (self.oracle, self.timed);
        let n = self.num_nodes();
        if n <= dense_limit {
            let rows = |f: &(dyn Fn(usize, usize) -> i64 + Sync)| -> Vec<u32> {
                let mut m = vec![0u32; n * n];
                // At least ~4 M entries per piece: a region's matrices are
                // filled on its own thread (see `Neighbours::new`).
                m.par_chunks_mut(n)
                    .with_min_len((1 << 22) / n.max(1))
                    .enumerate()
                    .for_each(|(i, row)| row.iter_mut().enumerate().for_each(|(j, x)| *x = pack(f(i, j))));
                m
            };
            let c = &self;
            let dist = rows(&|i, j| c.oracle_distance(i, j));
            let times = if timed {
                (0..c.profiles.len())
                    .map(|p| rows(&|i, j| c.oracle_time(p, i, j)))
                    .collect()
            } else {
                Vec::new()
            };
            self.dense_dist = Some(dist);
            self.dense_times = times;
        } else {
            // Open routes' end node has no point: it is priced through the oracle path.
            self.euclidean = self
                .locations
                .iter()
                .map(|&l| if l == NOWHERE { None } else { oracle.euclidean_point(l) })
                .collect();
        }
        self
    }
}

/// For a cluster of one vehicle type (index `vehicle_type` in the fleet):
/// one word per node, bit 0 set where the type may serve the town (the
/// depot always); empty when it may serve every town.
fn single_type_allowed(problem: &Problem, towns: &[usize], vehicle_type: usize) -> Vec<u64> {
    if towns.iter().all(|&t| problem.towns[t].allows_type(vehicle_type)) {
        return Vec::new();
    }
    std::iter::once(1)
        .chain(towns.iter().map(|&t| u64::from(problem.towns[t].allows_type(vehicle_type))))
        .collect()
}
